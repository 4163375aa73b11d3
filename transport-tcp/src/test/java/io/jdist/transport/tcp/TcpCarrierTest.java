package io.jdist.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.tck.RecordingHandler;
import io.jdist.transport.tcp.internal.ConnectionAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the tcp carrier: its registration, its settings and how it batches
 * writes. What every carrier must do is the kit's ({@link TcpCarrierConformanceTest}).
 */
class TcpCarrierTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Carrier carrier;

    @BeforeEach
    void start() {
        carrier = new TcpCarrierProvider().create(Map.of());
    }

    @AfterEach
    void stop() {
        carrier.close();
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        boolean found = ServiceLoader.load(CarrierProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("tcp"));
        assertTrue(found);
    }

    @Test
    void manySmallWritesShareFlushesAndALoneWriteIsNotHeldBack() throws Exception {
        int messages = 100_000;
        RecordingHandler serverSide = new RecordingHandler();
        try (CarrierServer server = carrier.listen(LOOPBACK_ANY_PORT, () -> serverSide)) {
            RecordingHandler clientSide = new RecordingHandler();
            ConnectionAdapter client = (ConnectionAdapter) carrier.connect(server.localAddress(), clientSide)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (long i = 0; i < messages; i++) {
                client.write(ByteBuffer.allocate(8).putLong(0, i));
            }
            ByteBuffer received = ByteBuffer.wrap(serverSide.awaitBytes(8 * messages, WAIT));
            for (long i = 0; i < messages; i++) {
                assertEquals(i, received.getLong(), "message in order");
            }
            // One flush per message would be one system call per message.
            assertTrue(client.flushes() <= messages / 10, client.flushes() + " flushes for " + messages
                    + " writes from one thread");

            // With nothing else queued, one write goes out by itself: no timer, no batch to fill.
            serverSide.awaitConnection(WAIT).write(ByteBuffer.wrap(new byte[] {42}));
            clientSide.awaitBytes(1, WAIT);
        }
    }

    @Test
    void refusesUnknownSettingsListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TcpCarrierProvider().create(Map.of("nodelay", "false")));
        assertEquals("unknown tcp carrier settings [nodelay]; expected some of [connectTimeoutMillis, ioThreads, transport]",
                e.getMessage());
    }
}
