package io.jdist.carrier.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The carrier-level conformance suite: a carrier through the Carrier SPI alone, no node. It checks
 * what jdist relies on: connections open and close with each callback exactly once, bytes arrive
 * in order both ways, writes never block even when both sides send megabytes at once, failures
 * name the address, and a closed carrier leaves no thread and no address behind.
 *
 * <p>A carrier's test subclasses it and says how to make the carrier and where it may listen:
 *
 * <pre>{@code
 * class TcpCarrierConformanceTest extends AbstractCarrierConformanceTest {
 *     protected Carrier newCarrier() {
 *         return new TcpCarrierProvider().create(Map.of());
 *     }
 *
 *     protected SocketAddress newListenAddress() {
 *         return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
 *     }
 * }
 * }</pre>
 *
 * <p>Every handler the suite gives the carrier is a {@link RecordingHandler}; after each test the
 * suite fails if the carrier broke the call order of any of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractCarrierConformanceTest {

    /** How long the suite waits for anything to happen: generous, for loaded machines. */
    protected static final Duration WAIT = Duration.ofSeconds(20);
    /** How long the suite watches for a callback that must not come. */
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final int MIB = 1024 * 1024;

    private final Cleanup cleanup = new Cleanup();
    private final List<RecordingHandler> handlers = new CopyOnWriteArrayList<>();
    /** The carrier most tests use, made before each test and closed after it. */
    private Carrier carrier;

    // What a carrier's subclass says.

    /** A new carrier, as its provider makes one for a node. The suite closes it. */
    protected abstract Carrier newCarrier();

    /**
     * An address to listen at that no other test uses: the loopback address with port 0 for a
     * carrier on IP, a fresh path or name for others. The suite may close a server and listen at
     * its address again.
     */
    protected abstract SocketAddress newListenAddress();

    /** The host part of the node name the suite says it dials, for carriers that check it (TLS). */
    protected String peerHost() {
        return "localhost";
    }

    /**
     * Whether the carrier reports a full outgoing buffer through {@link
     * io.jdist.carrier.ConnectionHandler#writable}. The SPI lets a carrier that cannot tell stay
     * silent; jdist then cannot hold fast senders back, so a real carrier should.
     */
    protected boolean reportsWritability() {
        return true;
    }

    @BeforeEach
    void makeCarrier() {
        carrier = track(newCarrier());
    }

    @AfterEach
    void closeEverything() throws Exception {
        try {
            cleanup.closeAll();
        } finally {
            for (RecordingHandler handler : handlers) {
                handler.assertContractKept();
            }
        }
    }

    // Opening.

    @Test
    void connectsAndAcceptsWithEachSideHearingConnectedOnce() throws Exception {
        Server server = listen(carrier);
        RecordingHandler clientSide = handler();

        CarrierConnection client = connect(carrier, server.address(), clientSide);

        assertSame(client, clientSide.connection(), "the stage completes with the connection the handler got");
        RecordingHandler serverSide = server.nextAccepted();
        CarrierConnection accepted = serverSide.awaitConnection(WAIT);
        assertEquals(server.address(), client.remoteAddress(), "the connecting side's remote address");
        assertEquals(server.address(), accepted.localAddress(), "the accepting side's local address");
        assertNotNull(client.localAddress(), "the connecting side's local address");
        assertNotNull(accepted.remoteAddress(), "the accepting side's remote address");
        Thread.sleep(QUIET.toMillis());
        assertEquals(1, serverSide.connectedCalls());
        assertEquals(1, server.handlersAskedFor(), "handlers asked for by one accepted connection");
        assertEquals(0, clientSide.closedCalls() + serverSide.closedCalls(), "closed without a close");
    }

    @Test
    void connectingWhereNothingListensFailsNamingTheAddress() throws Exception {
        Server server = listen(carrier);
        SocketAddress address = server.address();
        server.server().close();
        RecordingHandler handler = handler();

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> carrier.connect(address, peerHost(), handler).toCompletableFuture().get(WAIT.toMillis(),
                        TimeUnit.MILLISECONDS));

        IOException e = assertInstanceOf(IOException.class, failed.getCause(), "the connect stage's failure");
        assertTrue(e.getMessage() != null && e.getMessage().contains(address.toString()),
                "expected the message to name " + address + " but was: " + e.getMessage());
        Thread.sleep(QUIET.toMillis());
        assertEquals(0, handler.connectedCalls() + handler.closedCalls(),
                "the handler of a connection that never opened heard of it");
    }

    @Test
    void listeningWhereAServerListensFailsNamingTheAddress() throws Exception {
        Server first = listen(carrier);
        Carrier another = track(newCarrier());

        for (Carrier second : List.of(carrier, another)) {
            IOException e = assertThrows(IOException.class, () -> track(second.listen(first.address(),
                    RecordingHandler::new)), "a second server at " + first.address());
            assertTrue(e.getMessage() != null && e.getMessage().contains(first.address().toString()),
                    "expected the message to name " + first.address() + " but was: " + e.getMessage());
        }
        connect(carrier, first.address(), handler());
        first.nextAccepted().awaitConnection(WAIT);
    }

    // Bytes.

    @Test
    void movesBytesInOrderBothWaysAndSendsALoneWriteAtOnce() throws Exception {
        Pair pair = openPair();
        byte[] up = Payloads.pattern(3 * MIB, 1);
        byte[] down = Payloads.pattern(3 * MIB, 2);

        // Both ways at once, in writes of varied sizes, each in several buffers of varied kinds.
        CompletableFuture<Void> writingUp = Payloads.writeMixed(pair.client(), up, new Random(3));
        CompletableFuture<Void> writingDown = Payloads.writeMixed(pair.accepted(), down, new Random(4));
        writingUp.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        writingDown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertArrayEquals(up, pair.serverSide().awaitBytes(up.length, WAIT), "bytes from the connecting side");
        assertArrayEquals(down, pair.clientSide().awaitBytes(down.length, WAIT), "bytes from the accepting side");

        // Nothing behind it to fill a batch, and no timer: the carrier must flush it by itself.
        pair.accepted().write(ByteBuffer.wrap(new byte[] {42}));
        assertEquals(42, pair.clientSide().awaitBytes(down.length + 1, WAIT)[down.length]);
    }

    @Test
    void largeWritesBothWaysAtOnceNeitherBlockNorDeadlock() throws Exception {
        Pair pair = openPair();
        byte[] up = Payloads.pattern(16 * MIB, 5);
        byte[] down = Payloads.pattern(16 * MIB, 6);

        // Each side hands the carrier 16 MiB before the other has read anything: writes must queue.
        CompletableFuture<Void> writingUp = Payloads.writeInMebibytes(pair.client(), up);
        CompletableFuture<Void> writingDown = Payloads.writeInMebibytes(pair.accepted(), down);
        writingUp.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        writingDown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertArrayEquals(up, pair.serverSide().awaitBytes(up.length, Duration.ofSeconds(60)));
        assertArrayEquals(down, pair.clientSide().awaitBytes(down.length, Duration.ofSeconds(60)));
        if (reportsWritability()) {
            for (RecordingHandler side : List.of(pair.clientSide(), pair.serverSide())) {
                assertFalse(side.writabilityChanges().isEmpty(), "16 MiB queued at once never made the connection"
                        + " busy (writable(false)); a carrier that cannot tell overrides reportsWritability()");
                eventually("writable(true) once the 16 MiB drained, after " + side.writabilityChanges(),
                        () -> side.writabilityChanges().get(side.writabilityChanges().size() - 1));
            }
        }
    }

    // Closing.

    @Test
    void closingTheConnectingSideClosesBothOnceInOrder() throws Exception {
        assertOrderlyClose(true);
    }

    @Test
    void closingTheAcceptingSideClosesBothOnceInOrder() throws Exception {
        assertOrderlyClose(false);
    }

    private void assertOrderlyClose(boolean connectingSideCloses) throws Exception {
        Pair pair = openPair();
        CarrierConnection closing = connectingSideCloses ? pair.client() : pair.accepted();
        RecordingHandler peer = connectingSideCloses ? pair.serverSide() : pair.clientSide();

        closing.write(ByteBuffer.wrap(Payloads.pattern(1024, 7)));
        closing.close();
        closing.close();

        pair.clientSide().awaitClosed(WAIT);
        pair.serverSide().awaitClosed(WAIT);
        assertArrayEquals(Payloads.pattern(1024, 7), peer.bytes(), "a write just before the close went missing");
        pair.client().write(ByteBuffer.allocate(100));
        pair.accepted().write(ByteBuffer.allocate(100));
        pair.client().close();
        pair.accepted().close();
        Thread.sleep(QUIET.toMillis());
        for (RecordingHandler side : List.of(pair.clientSide(), pair.serverSide())) {
            assertEquals(1, side.closedCalls(), "closed calls");
            assertNull(side.cause(), "an orderly close has no cause");
        }
    }

    @Test
    void closingWhileWritesAreUnderWayClosesBothOnce() throws Exception {
        for (boolean writerCloses : new boolean[] {true, false}) {
            Pair pair = openPair();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                ByteBuffer chunk = ByteBuffer.wrap(Payloads.pattern(16 * 1024, 8)).asReadOnlyBuffer();
                try {
                    while (!stop.get()) {
                        pair.client().write(chunk.duplicate());
                        Thread.sleep(1); // writes never block, so only this keeps the queue bounded
                    }
                } catch (Throwable t) {
                    writeFailure.set(t);
                }
            }, "tck-writer");
            writer.start();
            try {
                pair.serverSide().awaitBytes(MIB, WAIT);
                (writerCloses ? pair.client() : pair.accepted()).close();
                pair.clientSide().awaitClosed(WAIT);
                pair.serverSide().awaitClosed(WAIT);
                Thread.sleep(QUIET.toMillis()); // the writer goes on writing to a closed connection
            } finally {
                stop.set(true);
                writer.join(WAIT.toMillis());
            }
            assertNull(writeFailure.get(), "a write to a closed connection threw instead of being dropped");
            assertEquals(1, pair.clientSide().closedCalls(), "closed calls on the writing side");
            assertEquals(1, pair.serverSide().closedCalls(), "closed calls on the reading side");
        }
    }

    @Test
    void aClosedServerKeepsItsConnectionsAndFreesItsAddress() throws Exception {
        Pair pair = openPair();

        pair.server().server().close();
        pair.server().server().close();

        pair.client().write(ByteBuffer.wrap(new byte[] {1}));
        pair.accepted().write(ByteBuffer.wrap(new byte[] {2}));
        assertArrayEquals(new byte[] {1}, pair.serverSide().awaitBytes(1, WAIT), "after the server closed");
        assertArrayEquals(new byte[] {2}, pair.clientSide().awaitBytes(1, WAIT), "after the server closed");
        assertThrows(ExecutionException.class, () -> carrier.connect(pair.server().address(), peerHost(), handler())
                .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "a closed server accepted");
        Server again = listen(carrier, pair.server().address());
        connect(carrier, again.address(), handler());
        again.nextAccepted().awaitConnection(WAIT);
    }

    @Test
    void closingTheCarrierClosesWhatItMadeFreesItsAddressAndEndsItsThreads() throws Exception {
        Set<Thread> before = Threads.live();
        Carrier closing = newCarrier();
        Carrier staying = newCarrier();
        try {
            Server closingServer = listen(closing);
            Server stayingServer = listen(staying);
            RecordingHandler dialledIn = handler();
            RecordingHandler dialledOut = handler();
            connect(staying, closingServer.address(), dialledIn);
            connect(closing, stayingServer.address(), dialledOut);
            List<RecordingHandler> sides = List.of(dialledIn, dialledOut, closingServer.nextAccepted(),
                    stayingServer.nextAccepted());
            // A connection that is closed before it opens is never heard of (TLS: mid-handshake).
            for (RecordingHandler side : sides) {
                side.awaitConnection(WAIT);
            }

            closing.close();
            closing.close();

            for (RecordingHandler side : sides) {
                side.awaitClosed(WAIT);
            }
            Thread.sleep(QUIET.toMillis());
            for (RecordingHandler side : sides) {
                assertEquals(1, side.closedCalls(), "closed calls");
            }
            Server reusing = listen(staying, closingServer.address());
            connect(staying, reusing.address(), handler());
            reusing.nextAccepted().awaitConnection(WAIT);
        } finally {
            closing.close();
            staying.close();
        }
        Threads.assertEnded(before, Duration.ofSeconds(10), "both carriers were closed");
    }

    // Many.

    @Test
    void manyConcurrentConnectionsEachCarryTheirOwnBytes() throws Exception {
        int count = 200;
        Server server = listen(carrier, newListenAddress(), true);
        List<RecordingHandler> clients = new ArrayList<>();
        List<CompletableFuture<CarrierConnection>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingHandler client = handler();
            clients.add(client);
            connecting.add(carrier.connect(server.address(), peerHost(), client).toCompletableFuture());
        }
        for (int i = 0; i < count; i++) {
            connecting.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).write(ByteBuffer.wrap(Payloads.numbered(i)));
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(Payloads.numbered(i), clients.get(i).awaitBytes(1024, WAIT), "echo on connection " + i);
        }
        // The server accepts in its own order: each accepted side is known by the bytes it echoed.
        RecordingHandler[] accepted = new RecordingHandler[count];
        for (int i = 0; i < count; i++) {
            RecordingHandler side = server.nextAccepted();
            accepted[(int) ByteBuffer.wrap(side.awaitBytes(1024, WAIT)).getLong()] = side;
        }
        assertEquals(count, server.handlersAskedFor(), "handlers asked for");

        // Half closed by the connecting side, half by the accepting side.
        for (int i = 0; i < count; i++) {
            (i % 2 == 0 ? clients.get(i) : accepted[i]).connection().close();
        }
        for (int i = 0; i < count; i++) {
            clients.get(i).awaitClosed(WAIT);
            accepted[i].awaitClosed(WAIT);
        }
        Thread.sleep(QUIET.toMillis());
        for (int i = 0; i < count; i++) {
            assertEquals(1, clients.get(i).closedCalls(), "closed calls, connecting side " + i);
            assertEquals(1, accepted[i].closedCalls(), "closed calls, accepting side " + i);
        }
    }

    // Helpers.

    /** A server, the handlers it gave its accepted connections in order, and how many it asked for. */
    private record Server(CarrierServer server, SocketAddress address, BlockingQueue<RecordingHandler> accepted,
            List<RecordingHandler> asked) {

        RecordingHandler nextAccepted() throws InterruptedException {
            RecordingHandler next = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new AssertionError("no connection accepted at " + address + " within " + WAIT.toMillis() + " ms");
            }
            return next;
        }

        int handlersAskedFor() {
            return asked.size();
        }
    }

    /** Both ends of one connection of the suite's carrier, and the server that accepted it. */
    private record Pair(Server server, CarrierConnection client, RecordingHandler clientSide,
            CarrierConnection accepted, RecordingHandler serverSide) {
    }

    private Pair openPair() throws Exception {
        Server server = listen(carrier);
        RecordingHandler clientSide = handler();
        CarrierConnection client = connect(carrier, server.address(), clientSide);
        RecordingHandler serverSide = server.nextAccepted();
        return new Pair(server, client, clientSide, serverSide.awaitConnection(WAIT), serverSide);
    }

    private Server listen(Carrier c) throws IOException {
        return listen(c, newListenAddress());
    }

    private Server listen(Carrier c, SocketAddress address) throws IOException {
        return listen(c, address, false);
    }

    private Server listen(Carrier c, SocketAddress address, boolean echo) throws IOException {
        BlockingQueue<RecordingHandler> accepted = new LinkedBlockingQueue<>();
        List<RecordingHandler> asked = new CopyOnWriteArrayList<>();
        CarrierServer server = track(c.listen(address, () -> {
            RecordingHandler h = echo ? RecordingHandler.echoing() : new RecordingHandler();
            handlers.add(h);
            asked.add(h);
            accepted.add(h);
            return h;
        }));
        return new Server(server, server.localAddress(), accepted, asked);
    }

    /** Connects, checking that the handler heard connected by the time the stage completed. */
    private CarrierConnection connect(Carrier c, SocketAddress address, RecordingHandler handler) throws Exception {
        CompletableFuture<CarrierConnection> stage = c.connect(address, peerHost(), handler).toCompletableFuture();
        // Runs as the stage completes, on the completing thread, unless it has completed already.
        CompletableFuture<Integer> connectedByThen = stage.thenApply(connection -> handler.connectedCalls());
        CarrierConnection connection = stage.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(1, connectedByThen.get(), "connected calls when the connect stage completed");
        return connection;
    }

    /** A recording handler whose contract the suite checks after the test. */
    private RecordingHandler handler() {
        RecordingHandler h = new RecordingHandler();
        handlers.add(h);
        return h;
    }

    private <T extends AutoCloseable> T track(T resource) {
        return cleanup.add(resource);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
