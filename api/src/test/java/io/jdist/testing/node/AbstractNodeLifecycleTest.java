package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.ConnectionInfo;
import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.carrier.Discovery;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's life on one carrier, Java nodes only: start, a name in use, an unknown carrier,
 * simultaneous connects, close. A carrier's test subclasses it and says which carrier it is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractNodeLifecycleTest {

    private static final String COOKIE = "tcp-node-test";

    private EmbeddedEpmd.Lease epmd;

    /** The carrier's name, as {@link NodeConfig.Builder#carrier} takes it. */
    protected abstract String carrier();

    @BeforeEach
    void startEpmd() throws IOException {
        epmd = EmbeddedEpmd.acquire(0);
    }

    @AfterEach
    void stopEpmd() {
        epmd.close();
    }

    private static String unique(String prefix) {
        return prefix + "_" + Long.toHexString(System.nanoTime());
    }

    /** How a node of the suite is configured; a carrier with settings adds them. */
    protected NodeConfig.Builder config(String sname) {
        return NodeConfig.builder().sname(sname).cookie(COOKIE).carrier(carrier()).epmdPort(epmd.port())
                .bindAddress(InetAddress.getLoopbackAddress());
    }

    /** Where the suite's nodes are published: the carrier's own discovery, else this test's EPMD. */
    protected Discovery discovery() {
        return Discovery.epmd(epmd.port());
    }

    @Test
    void closeReleasesTheListenerTheRegistrationAndTheThreadsAndIsIdempotent() throws Exception {
        Set<String> threadsBefore = jdistThreads();
        Node node = Node.start(config(unique("closing")).build());
        SocketAddress listening = discovery().lookup(node.name());
        try (SocketChannel probe = SocketChannel.open(listening)) {
            assertTrue(probe.isConnected(), "the node listens at " + listening);
        }

        node.close();
        node.close();

        assertFalse(node.alive());
        IOException unpublished = assertThrows(IOException.class, () -> discovery().lookup(node.name()),
                "still published after close");
        assertTrue(unpublished.getMessage().startsWith("no node named "), unpublished.getMessage());
        assertThrows(IOException.class, () -> SocketChannel.open(listening).close(), "still listening at "
                + listening);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<String> left = jdistThreads();
        while (!threadsBefore.containsAll(left) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = jdistThreads();
        }
        left.removeAll(threadsBefore);
        assertEquals(Set.of(), left, "threads left running after close");
    }

    /** The threads a node makes: its own and its carrier's event loops. */
    private static Set<String> jdistThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("jdist-") || n.contains("EventLoop") || n.contains("epoll")
                        || n.contains("nio"))
                .collect(Collectors.toSet());
    }

    @Test
    void connectionInfoDescribesEachSideOfAnUpConnection() throws Exception {
        try (Node a = Node.start(config(unique("info_a")).build());
                Node b = Node.start(config(unique("info_b")).build())) {
            assertEquals(Optional.empty(), a.connectionInfo(b.name()), "not connected yet");

            assertTrue(a.connect(b.name()));

            ConnectionInfo atA = a.connectionInfo(b.name()).orElseThrow();
            ConnectionInfo atB = b.connectionInfo(a.name()).orElseThrow();
            assertEquals(b.name(), atA.node());
            assertEquals(carrier(), atA.carrier());
            assertTrue(atA.outgoing());
            assertFalse(atB.outgoing());
            assertEquals(atA.remoteAddress(), atB.localAddress());
            assertEquals(List.of(), atA.peerCertificates());

            a.disconnect(b.name());
            assertEquals(Optional.empty(), a.connectionInfo(b.name()), "after disconnect");
        }
    }

    @Test
    void aSecondNodeWithTheSameNameFailsToStartSayingSo() throws IOException {
        String sname = unique("twin");
        try (Node first = Node.start(config(sname).build())) {
            IOException e = assertThrows(IOException.class, () -> Node.start(config(sname).build()));

            assertTrue(e.getMessage().contains("is in use"), e.getMessage());
            assertTrue(e.getMessage().contains(sname), e.getMessage());
            assertTrue(first.alive());
        }
    }

    @Test
    void anUnknownCarrierFailsAtStartListingTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Node.start(config(unique("pigeon")).carrier("pigeon").build()));

        assertTrue(e.getMessage().startsWith("no carrier named 'pigeon' is installed; available: "), e.getMessage());
        assertTrue(e.getMessage().contains(carrier()), e.getMessage());
    }

    @Test
    void nodesDiallingEachOtherAtOnceEndWithOneConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                try (Node a = Node.start(config(unique("sim_a")).build());
                        Node b = Node.start(config(unique("sim_b")).build())) {
                    Future<Boolean> ab = pool.submit((Callable<Boolean>) () -> a.connect(b.name()));
                    Future<Boolean> ba = pool.submit((Callable<Boolean>) () -> b.connect(a.name()));
                    assertTrue(ab.get(), "round " + round + ": a connects to b");
                    assertTrue(ba.get(), "round " + round + ": b connects to a");

                    assertEquals(List.of(b.name()), a.nodes(), "round " + round);
                    assertEquals(List.of(a.name()), b.nodes(), "round " + round);
                    try (Mailbox inbox = b.createMailbox("inbox"); Mailbox sender = a.createMailbox()) {
                        sender.send("inbox", b.name(), Atom.of("after_race"));
                        assertEquals(Optional.of(Atom.of("after_race")), inbox.receive(Duration.ofSeconds(5)),
                                "round " + round);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
