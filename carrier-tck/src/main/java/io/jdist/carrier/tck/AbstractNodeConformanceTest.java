package io.jdist.carrier.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.ConnectionInfo;
import io.jdist.ExitException;
import io.jdist.Mailbox;
import io.jdist.NoConnectionException;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.NodeListener;
import io.jdist.carrier.Carrier;
import io.jdist.carrier.Discovery;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node-level conformance suite: two jdist nodes in this JVM over the carrier, through the
 * public API only. It checks what users of a carrier see: the handshake, a wrong cookie refused,
 * messages in order and intact, ticks that detect a silent peer, monitors and links broken with
 * {@code noconnection}, and a node that releases its address, its name and its threads on close.
 *
 * <p>A carrier's test subclasses it and names the carrier, as {@code -Ddist.carrier} would, with
 * the settings it needs:
 *
 * <pre>{@code
 * class UnixNodeConformanceTest extends AbstractNodeConformanceTest {
 *     @TempDir Path sockets;
 *
 *     protected String carrier() {
 *         return "unix";
 *     }
 *
 *     protected Map<String, String> carrierSettings() {
 *         return Map.of("dir", sockets.resolve("s").toString());
 *     }
 * }
 * }</pre>
 *
 * <p>Nodes find each other through the carrier's own {@link Carrier#discovery()} when it has one;
 * otherwise through a registry the suite keeps for each test, so that no EPMD is needed. A silent
 * peer is a node whose carrier is wrapped in a {@link SilenceableCarrier}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractNodeConformanceTest {

    /** How long the suite waits for anything to happen: generous, for loaded machines. */
    protected static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom PROCESS = Atom.of("process");
    private static final Atom NOCONNECTION = Atom.of("noconnection");
    private static final Atom SEQ = Atom.of("seq");

    /** This class's cookie: distinctive, so that a refused peer is refused for its cookie alone. */
    private final String cookie = "tck-cookie-" + Long.toHexString(RANDOM.nextLong());
    private final Cleanup cleanup = new Cleanup();
    private final ConcurrentMap<String, SocketAddress> published = new ConcurrentHashMap<>();
    private boolean carrierHasDiscovery;
    private Discovery discovery;

    // What a carrier's subclass says.

    /** The carrier's name, as {@code -Ddist.carrier} takes it. */
    protected abstract String carrier();

    /** The carrier's settings for every node of the suite, as {@code -Ddist.CARRIER.*} would give them. */
    protected Map<String, String> carrierSettings() {
        return Map.of();
    }

    /** How a node of the suite is configured; tests add to it. A carrier that needs more adds it here. */
    protected NodeConfig.Builder config(String sname) {
        NodeConfig.Builder builder = NodeConfig.builder().sname(sname).cookie(cookie).carrier(carrier())
                .bindAddress(InetAddress.getLoopbackAddress());
        carrierSettings().forEach(builder::carrierSetting);
        if (!carrierHasDiscovery) {
            builder.discovery(new InProcessDiscovery(published));
        }
        return builder;
    }

    @BeforeEach
    void chooseDiscovery() {
        try (Carrier probe = newCarrier()) {
            carrierHasDiscovery = probe.discovery().isPresent();
            discovery = probe.discovery().orElseGet(() -> new InProcessDiscovery(published));
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        try {
            cleanup.closeAll();
        } finally {
            discovery.close();
        }
    }

    // The handshake.

    @Test
    void nodesConnectListEachOtherAndPing() throws Exception {
        Node a = start("tck_a");
        Node b = start("tck_b");

        assertTrue(a.connect(b.name()), "connect to " + b.name());

        assertEquals(List.of(b.name()), a.nodes());
        eventually(b.name() + " lists " + a.name(), () -> b.nodes().equals(List.of(a.name())));
        assertTrue(a.ping(b.name()), "ping " + b.name());
        assertTrue(b.ping(a.name()), "ping " + a.name());
        String nobody = "nobody_" + suffix() + "@" + host(a);
        assertFalse(a.ping(nobody), "ping " + nobody);
        NoConnectionException unknown = assertThrows(NoConnectionException.class, () -> a.connectOrThrow(nobody));
        assertTrue(unknown.getMessage().startsWith("cannot connect to " + nobody + ": ")
                && unknown.getMessage().length() > ("cannot connect to " + nobody + ": ").length() + 10,
                "connectOrThrow says why: " + unknown.getMessage());
        IllegalArgumentException notAName = assertThrows(IllegalArgumentException.class, () -> a.connectOrThrow("nobody"));
        assertEquals("expected a node name alive@host but was 'nobody'", notAName.getMessage());
        ConnectionInfo atA = a.connectionInfo(b.name()).orElseThrow();
        ConnectionInfo atB = b.connectionInfo(a.name()).orElseThrow();
        assertEquals(carrier(), atA.carrier());
        assertTrue(atA.outgoing() && !atB.outgoing(), "a dialled b");
        assertEquals(atA.remoteAddress(), atB.localAddress(), "a's remote address is b's local one");
    }

    @Test
    void aPeerWithAnotherCookieIsRefusedWhileTheNodeServesOthers() throws Exception {
        Node a = start("tck_a");
        Node stranger = start("tck_stranger", c -> c.cookie("another-" + cookie));
        Node friend = start("tck_friend");
        Mailbox inbox = a.createMailbox("inbox");

        assertFalse(a.connect(stranger.name()), "connect to a node with another cookie");
        assertFalse(stranger.connect(a.name()), "connect from a node with another cookie");
        NoConnectionException refused = assertThrows(NoConnectionException.class, () -> a.connectOrThrow(stranger.name()));
        assertEquals("cannot connect to " + stranger.name() + ": " + stranger.name() + " closed the connection after"
                + " this node's challenge reply: it refused this node's cookie (the two nodes' cookies differ)",
                refused.getMessage());

        assertEquals(List.of(), a.nodes());
        assertEquals(List.of(), stranger.nodes());
        try (Mailbox sender = friend.createMailbox()) {
            sender.send("inbox", a.name(), Atom.of("still_serving"));
            assertEquals(Atom.of("still_serving"), receive(inbox));
        }
        assertEquals(List.of(friend.name()), a.nodes());
    }

    // Messages.

    @Test
    void hundredThousandMessagesEachWayArriveInOrder() throws Exception {
        exchange(100_000, i -> Tuple.of(SEQ, i), WAIT);
    }

    @Test
    void mebibyteBinariesCrossIntactBothWaysAtOnce() throws Exception {
        // 64 MiB each way: far past any carrier's buffer, so senders wait for the connection to drain.
        exchange(64, i -> Binary.of(pattern(i)), Duration.ofSeconds(60));
    }

    /**
     * Has each of two nodes send the other {@code count} messages at once, the second from a thread
     * of its own, and checks that each side receives them all, in order and intact.
     */
    private void exchange(int count, IntFunction<Term> message, Duration sending) throws Exception {
        Node a = start("tck_a");
        Node b = start("tck_b");
        Mailbox sinkA = a.createMailbox("sink");
        Mailbox sinkB = b.createMailbox("sink");

        CompletableFuture<Void> aToB = inThread(() -> {
            for (int i = 0; i < count; i++) {
                sinkA.send("sink", b.name(), message.apply(i));
            }
        });
        for (int i = 0; i < count; i++) {
            sinkB.send("sink", a.name(), message.apply(i));
        }
        aToB.get(sending.toMillis(), TimeUnit.MILLISECONDS);

        for (Mailbox sink : List.of(sinkA, sinkB)) {
            for (int i = 0; i < count; i++) {
                Term received = receive(sink);
                if (!received.equals(message.apply(i))) {
                    fail("expected message " + i + " of " + count + " at " + sink + " but got " + (received instanceof
                            Binary binary ? "a binary of " + binary.size() + " bytes" : received));
                }
            }
            assertEquals(Optional.empty(), sink.poll(), "a message after the last");
        }
    }

    @Test
    void aSendAfterDisconnectReconnects() throws Exception {
        Node a = start("tck_a");
        Node b = start("tck_b");
        Mailbox mbox = a.createMailbox("my_mbox");
        Mailbox echo = b.createMailbox("echo");
        echo.send("my_mbox", a.name(), Atom.of("hello"));
        assertEquals(Atom.of("hello"), receive(mbox));

        assertTrue(a.disconnect(b.name()), "disconnect " + b.name());

        assertEquals(List.of(), a.nodes());
        eventually(b.name() + " no longer lists " + a.name(), () -> b.nodes().isEmpty());
        mbox.send("echo", b.name(), Atom.of("again"));
        assertEquals(Atom.of("again"), receive(echo));
        assertEquals(List.of(b.name()), a.nodes());
    }

    // Losing a peer.

    @Test
    void monitorsAndLinksCrossTheCarrierAndBreakWithNoconnectionWhenThePeerCloses() throws Exception {
        Node a = start("tck_a");
        Downs downs = Downs.of(a);
        Node b = start("tck_b");
        Mailbox watcher = a.createMailbox();
        Mailbox plain = a.createMailbox();
        watcher.trapExit(true);

        Mailbox target = b.createMailbox("target");
        Ref byName = watcher.monitor("target", b.name());
        Ref missing = watcher.monitor("nobody", b.name());
        assertEquals(Tuple.of(DOWN, missing, PROCESS, Tuple.of(Atom.of("nobody"), Atom.of(b.name())),
                Atom.of("noproc")), receive(watcher));
        assertTrue(a.ping(b.name()), "ping " + b.name());
        target.close(Atom.of("bye"));
        assertEquals(Tuple.of(DOWN, byName, PROCESS, Tuple.of(Atom.of("target"), Atom.of(b.name())), Atom.of("bye")),
                receive(watcher));

        Mailbox unlinked = b.createMailbox();
        Mailbox survivor = b.createMailbox();
        watcher.link(unlinked.self());
        watcher.unlink(unlinked.self());
        watcher.link(survivor.self());
        plain.link(survivor.self());
        Ref watch = watcher.monitor(survivor.self());
        assertTrue(a.ping(b.name()), "ping " + b.name());
        long closing = System.nanoTime();
        b.close();

        assertEquals(b.name(), downs.await(WAIT));
        // Well within the default ticktime of 60 s: the close itself was seen, not the silence after it.
        assertShorter(Duration.ofSeconds(5), System.nanoTime() - closing, "nodeDown after the peer closed");
        assertEquals(Set.of(Tuple.of(DOWN, watch, PROCESS, survivor.self(), NOCONNECTION),
                Tuple.of(EXIT, survivor.self(), NOCONNECTION)), Set.of(receive(watcher), receive(watcher)));
        assertEquals(Optional.empty(), watcher.receive(QUIET), "a message from the unlinked process");
        eventually("a linked mailbox that does not trap exits ends", () -> !plain.isOpen());
        assertEquals(NOCONNECTION, assertThrows(ExitException.class, plain::receive).reason());
    }

    @Test
    void disconnectBreaksMonitorsAndLinksOnBothSidesWithNoconnection() throws Exception {
        Node a = start("tck_a");
        Node b = start("tck_b");
        Mailbox atA = a.createMailbox();
        Mailbox atB = b.createMailbox();
        atA.trapExit(true);
        atB.trapExit(true);
        atA.link(atB.self());
        Ref fromA = atA.monitor(atB.self());
        Ref fromB = atB.monitor(atA.self());
        assertTrue(a.ping(b.name()), "ping " + b.name());
        assertTrue(b.ping(a.name()), "ping " + a.name());

        assertTrue(a.disconnect(b.name()), "disconnect " + b.name());

        assertEquals(Set.of(Tuple.of(DOWN, fromA, PROCESS, atB.self(), NOCONNECTION),
                Tuple.of(EXIT, atB.self(), NOCONNECTION)), Set.of(receive(atA), receive(atA)));
        assertEquals(Set.of(Tuple.of(DOWN, fromB, PROCESS, atA.self(), NOCONNECTION),
                Tuple.of(EXIT, atA.self(), NOCONNECTION)), Set.of(receive(atB), receive(atB)));
    }

    @Test
    void ticksKeepAnIdleConnectionUpAndDetectASilentPeer() throws Exception {
        Duration ticktime = Duration.ofSeconds(4);
        String handle = "tck-" + suffix();
        Node a = start("tck_a", c -> c.ticktime(ticktime));
        Downs downs = Downs.of(a);
        Node b = start("tck_silent", c -> c.ticktime(ticktime).carrier(SilenceableCarrierProvider.NAME)
                .carrierSetting("wrapped", carrier()).carrierSetting("handle", handle));
        Mailbox watcher = a.createMailbox();
        Mailbox target = b.createMailbox();
        watcher.trapExit(true);
        watcher.link(target.self());
        Ref watch = watcher.monitor(target.self());
        assertTrue(a.ping(b.name()), "ping " + b.name());

        // An idle but healthy connection outlives its ticktime: each side ticks.
        Thread.sleep(ticktime.toMillis() * 3 / 2);
        assertEquals(List.of(b.name()), a.nodes(), "the idle connection went down");

        long silenced = System.nanoTime();
        SilenceableCarrier.byHandle(handle).silence();

        assertEquals(b.name(), downs.await(ticktime.multipliedBy(4)));
        long took = System.nanoTime() - silenced;
        assertTrue(took > ticktime.toNanos() / 2, "nodeDown " + TimeUnit.NANOSECONDS.toMillis(took)
                + " ms after the peer fell silent: before the ticktime of " + ticktime.toMillis() + " ms ran out");
        assertShorter(ticktime.multipliedBy(2), took, "nodeDown after the peer fell silent");
        assertEquals(Set.of(Tuple.of(DOWN, watch, PROCESS, target.self(), NOCONNECTION),
                Tuple.of(EXIT, target.self(), NOCONNECTION)), Set.of(receive(watcher), receive(watcher)));
    }

    // A node's life on the carrier.

    @Test
    void nodesDiallingEachOtherAtOnceEndWithOneConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Node a = start("tck_a");
                Node b = start("tck_b");
                Future<Boolean> ab = pool.submit((Callable<Boolean>) () -> a.connect(b.name()));
                Future<Boolean> ba = pool.submit((Callable<Boolean>) () -> b.connect(a.name()));
                assertTrue(ab.get(), "round " + round + ": a connects to b");
                assertTrue(ba.get(), "round " + round + ": b connects to a");

                assertEquals(List.of(b.name()), a.nodes(), "round " + round);
                assertEquals(List.of(a.name()), b.nodes(), "round " + round);
                Mailbox inbox = b.createMailbox("inbox");
                a.createMailbox().send("inbox", b.name(), Atom.of("after_race"));
                assertEquals(Atom.of("after_race"), receive(inbox), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeReleasesTheAddressTheNameAndTheThreadsAndIsIdempotent() throws Exception {
        Set<Thread> before = Threads.live();
        Carrier raw = newCarrier();
        Node node = Node.start(config("tck_closing_" + suffix()).build());
        SocketAddress listening = discovery.lookup(node.name());
        RecordingHandler reached = new RecordingHandler();
        try {
            raw.connect(listening, host(node), reached).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .close();

            node.close();
            node.close();

            assertFalse(node.alive());
            IOException unpublished = assertThrows(IOException.class, () -> discovery.lookup(node.name()),
                    "still published after close");
            assertTrue(unpublished.getMessage().contains(node.name()), unpublished.getMessage());
            assertThrows(ExecutionException.class, () -> raw.connect(listening, host(node), new RecordingHandler())
                    .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "still listening at " + listening);
        } finally {
            node.close();
            raw.close();
        }
        reached.assertContractKept();
        Threads.assertEnded(before, Duration.ofSeconds(10), "the node and a carrier were closed");
    }

    @Test
    void aSecondNodeWithTheSameNameFailsToStartSayingSo() throws Exception {
        String sname = "tck_twin_" + suffix();
        Node first = track(Node.start(config(sname).build()));

        IOException e = assertThrows(IOException.class, () -> track(Node.start(config(sname).build())));

        assertTrue(e.getMessage().contains(sname), e.getMessage());
        assertTrue(first.alive());
        assertTrue(start("tck_other").ping(first.name()), "the first node still answers");
    }

    @Test
    void anUnknownCarrierFailsAtStartListingTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> track(Node.start(config("tck_pigeon_" + suffix()).carrier("pigeon").build())));

        assertTrue(e.getMessage().startsWith("no carrier named 'pigeon' is installed; available: "), e.getMessage());
        assertTrue(e.getMessage().contains(carrier()), e.getMessage());
    }

    // Helpers.

    /** Starts a node named {@code prefix} and a random suffix, closed after the test. */
    protected Node start(String prefix) {
        return start(prefix, UnaryOperator.identity());
    }

    /** Starts a node named {@code prefix} and a random suffix, configured further, closed after the test. */
    protected Node start(String prefix, UnaryOperator<NodeConfig.Builder> configure) {
        try {
            return track(Node.start(configure.apply(config(prefix + "_" + suffix())).build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Carrier newCarrier() {
        return SilenceableCarrierProvider.provider(carrier()).create(carrierSettings());
    }

    private <T extends AutoCloseable> T track(T resource) {
        return cleanup.add(resource);
    }

    private static String suffix() {
        return Integer.toHexString(RANDOM.nextInt() & 0x7fffffff);
    }

    private static String host(Node node) {
        return node.name().substring(node.name().indexOf('@') + 1);
    }

    private static byte[] pattern(int seed) {
        byte[] bytes = new byte[1024 * 1024];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Term receive(Mailbox mailbox) throws InterruptedException {
        return mailbox.receive(WAIT).orElseThrow(() -> new AssertionError(mailbox + " received nothing within "
                + WAIT.toMillis() + " ms"));
    }

    private static CompletableFuture<Void> inThread(Runnable task) {
        return CompletableFuture.runAsync(task, runnable -> new Thread(runnable, "tck-sender").start());
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("expected within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void assertShorter(Duration limit, long nanos, String what) {
        assertTrue(nanos < limit.toNanos(), what + " took " + TimeUnit.NANOSECONDS.toMillis(nanos)
                + " ms; expected less than " + limit.toMillis() + " ms");
    }

    /** The peers a node hears go down, in order. */
    private static final class Downs implements NodeListener {

        private final BlockingQueue<String> nodes = new LinkedBlockingQueue<>();

        static Downs of(Node node) {
            Downs downs = new Downs();
            node.addListener(downs);
            return downs;
        }

        @Override
        public void nodeDown(String node, String reason) {
            nodes.add(node);
        }

        String await(Duration timeout) throws InterruptedException {
            String node = nodes.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (node == null) {
                throw new AssertionError("no nodeDown within " + timeout.toMillis() + " ms");
            }
            return node;
        }
    }
}
