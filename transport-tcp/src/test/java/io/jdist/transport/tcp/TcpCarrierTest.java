package io.jdist.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierProvider;
import io.jdist.carrier.CarrierServer;
import io.jdist.testing.RecordingHandler;
import io.jdist.transport.tcp.internal.ConnectionAdapter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpCarrierTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

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
    void movesLargeWritesInOrderBothWaysWithoutDeadlock() throws Exception {
        int size = 8 * 1024 * 1024;
        RecordingHandler serverSide = new RecordingHandler(size);
        try (CarrierServer server = carrier.listen(LOOPBACK_ANY_PORT, () -> serverSide)) {
            RecordingHandler clientSide = new RecordingHandler(size);
            CarrierConnection client = carrier.connect(server.localAddress(), clientSide).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (i * 31 + (i >>> 8));
            }
            // Both sides write everything before either reads: the carrier must buffer, not block.
            for (int off = 0; off < size; off += 65536) {
                client.write(ByteBuffer.wrap(payload, off, 65536), ByteBuffer.allocate(0));
            }
            serverSide.awaitConnection(Duration.ofSeconds(5));
            for (int off = 0; off < size; off += 1 << 20) {
                serverSide.connection.write(ByteBuffer.wrap(payload, off, 1 << 20));
            }
            assertTrue(serverSide.gotAll.await(20, TimeUnit.SECONDS));
            assertTrue(clientSide.gotAll.await(20, TimeUnit.SECONDS));
            assertTrue(java.util.Arrays.equals(payload, serverSide.bytes()));
            assertTrue(java.util.Arrays.equals(payload, clientSide.bytes()));
        }
    }

    @Test
    void manySmallWritesShareFlushesAndALoneWriteIsNotHeldBack() throws Exception {
        int messages = 100_000;
        RecordingHandler serverSide = new RecordingHandler(8 * messages);
        try (CarrierServer server = carrier.listen(LOOPBACK_ANY_PORT, () -> serverSide)) {
            RecordingHandler clientSide = new RecordingHandler(1);
            ConnectionAdapter client = (ConnectionAdapter) carrier.connect(server.localAddress(), clientSide)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (long i = 0; i < messages; i++) {
                client.write(ByteBuffer.allocate(8).putLong(0, i));
            }
            assertTrue(serverSide.gotAll.await(20, TimeUnit.SECONDS));
            ByteBuffer received = ByteBuffer.wrap(serverSide.bytes());
            for (long i = 0; i < messages; i++) {
                assertEquals(i, received.getLong(), "message in order");
            }
            // One flush per message would be one system call per message.
            assertTrue(client.flushes() <= messages / 10, client.flushes() + " flushes for " + messages
                    + " writes from one thread");

            // With nothing else queued, one write goes out by itself: no timer, no batch to fill.
            serverSide.awaitConnection(Duration.ofSeconds(5));
            serverSide.connection.write(ByteBuffer.wrap(new byte[] {42}));
            assertTrue(clientSide.gotAll.await(5, TimeUnit.SECONDS), "a lone write never arrived");
        }
    }

    @Test
    void callsConnectedThenClosedExactlyOnceOnEachSide() throws Exception {
        RecordingHandler serverSide = new RecordingHandler();
        try (CarrierServer server = carrier.listen(LOOPBACK_ANY_PORT, () -> serverSide)) {
            RecordingHandler clientSide = new RecordingHandler();
            CarrierConnection client = carrier.connect(server.localAddress(), clientSide).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertEquals(1, clientSide.connectedCalls.get(), "connected before the stage completes");
            serverSide.awaitConnection(Duration.ofSeconds(5));
            client.close();
            client.close();
            assertTrue(clientSide.closed.await(5, TimeUnit.SECONDS));
            assertTrue(serverSide.closed.await(5, TimeUnit.SECONDS));
            Thread.sleep(100);
            assertEquals(1, clientSide.closedCalls.get());
            assertEquals(1, serverSide.closedCalls.get());
            assertNull(clientSide.cause);
            assertEquals(1, serverSide.connectedCalls.get());
        }
    }

    @Test
    void connectingWhereNothingListensFailsNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        RecordingHandler handler = new RecordingHandler();
        CompletionException e = assertThrows(CompletionException.class,
                () -> carrier.connect(nowhere, handler).toCompletableFuture().join());
        IOException io = assertInstanceOf(IOException.class, e.getCause());
        assertTrue(io.getMessage().startsWith("cannot connect to " + nowhere), io.getMessage());
        assertEquals(0, handler.connectedCalls.get());
        assertEquals(0, handler.closedCalls.get());
    }

    @Test
    void listeningOnAnAddressInUseFailsNamingIt() throws IOException {
        try (CarrierServer first = carrier.listen(LOOPBACK_ANY_PORT, RecordingHandler::new)) {
            IOException e = assertThrows(IOException.class, () -> carrier.listen(first.localAddress(), RecordingHandler::new));
            assertTrue(e.getMessage().startsWith("cannot listen on " + first.localAddress()), e.getMessage());
        }
    }

    @Test
    void refusesUnknownSettingsListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TcpCarrierProvider().create(Map.of("nodelay", "false")));
        assertEquals("unknown tcp carrier settings [nodelay]; expected some of [connectTimeoutMillis, ioThreads, transport]",
                e.getMessage());
    }

    @Test
    void runsOnNioWhenAskedTo() throws Exception {
        Carrier nio = new TcpCarrierProvider().create(Map.of("transport", "nio", "ioThreads", "1"));
        try (CarrierServer server = nio.listen(LOOPBACK_ANY_PORT, RecordingHandler::new)) {
            RecordingHandler client = new RecordingHandler();
            nio.connect(server.localAddress(), client).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(1, client.connectedCalls.get());
        } finally {
            nio.close();
        }
    }
}
