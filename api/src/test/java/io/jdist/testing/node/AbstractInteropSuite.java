package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.internal.epmd.NodeEntry;
import io.jdist.term.Term;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.ErlangRuntime;
import io.jdist.testing.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the interop suites ({@link AbstractNodeInteropTest}, {@link AbstractProcessInteropTest})
 * share: how a carrier's nodes are made, Java ones and {@code erl} ones, and who stops them.
 *
 * <p>A carrier's test subclasses a suite, not this class, and overrides {@link #carrier()}. A
 * carrier with settings overrides {@link #carrierSettings()}; one whose {@code erl} needs more
 * than {@code -sname} (TLS, Unix sockets) overrides {@link #erlangNode} and, where it must,
 * {@link #javaNode}. The node suite adds two hooks for raw connections to a node, {@link
 * AbstractNodeInteropTest#openRawConnection} and {@link
 * AbstractNodeInteropTest#handshakeLengthBytes}.
 *
 * <p>Each test class gets an embedded EPMD of its own on an ephemeral port, shared by its Java
 * nodes and given to {@code erl} as {@code ERL_EPMD_PORT}, so the suites never touch port 4369 and
 * classes can run in parallel. Every node has a unique name; everything a test starts is stopped
 * after it, {@code erl} by its own process handle. The Erlang peer modules are compiled on first
 * use, so that tests between Java nodes need no Erlang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractInteropSuite {

    static final SecureRandom RANDOM = new SecureRandom();
    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

    /** The cookie of this class's nodes: distinctive, so that a log line holding it would be found. */
    protected final String cookie = "interop-cookie-" + Long.toHexString(RANDOM.nextLong());

    private EmbeddedEpmd.Lease epmd;
    private Path classDir;
    private Path erlangCode;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private Path testDir;

    // What a carrier's subclass says.

    /** The carrier's name, as {@link NodeConfig.Builder#carrier} takes it. */
    protected abstract String carrier();

    /** The carrier's settings for every Java node of the suite. */
    protected Map<String, String> carrierSettings() {
        return Map.of();
    }

    /** How a Java node of the suite is configured; tests add to this. */
    protected NodeConfig.Builder javaNode(String sname) {
        NodeConfig.Builder builder = NodeConfig.builder().sname(sname).cookie(cookie).carrier(carrier())
                .epmdPort(epmd.port()).bindAddress(hostAddress());
        carrierSettings().forEach(builder::carrierSetting);
        return builder;
    }

    /**
     * How an {@code erl} of the suite is started for this carrier; tests add to this. For TCP it is
     * plain {@code erl -sname}; other carriers add their {@code -proto_dist} and its options.
     */
    protected ErlangNode.Builder erlangNode(String sname, Path workingDir) {
        return ErlangNode.builder(sname).cookie(cookie).epmdPort(epmd.port()).workingDir(workingDir)
                .codePath(erlangCode());
    }

    /** Where the suite's nodes and EPMD listen: the address short node names resolve to. */
    protected static InetAddress hostAddress() {
        try {
            return InetAddress.getByName(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve this host's name, which erl -sname needs", e);
        }
    }

    // Lifecycle.

    @BeforeAll
    void startEpmd() throws IOException {
        // Bound to the address the host name resolves to: erl looks its peers' EPMD up there, and
        // it is a loopback address on any sanely configured machine (Debian maps it to 127.0.1.1).
        epmd = EmbeddedEpmd.acquire(hostAddress(), 0);
        classDir = Files.createTempDirectory("jdist-" + getClass().getSimpleName() + "-");
    }

    @AfterAll
    void stopEpmd() {
        if (epmd != null) {
            epmd.close();
        }
        deleteTree(classDir);
    }

    @BeforeEach
    void makeTestDir() throws IOException {
        testDir = Files.createTempDirectory(classDir, "test-");
    }

    @AfterEach
    void stopEverything() {
        Throwable first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        deleteTree(testDir);
        if (first != null) {
            throw new AssertionError("cleaning up failed", first);
        }
    }

    /**
     * The compiled test peers, {@code jdist_node_peer} (which every {@code erl} runs) and {@code
     * jdist_proc_peer}, compiled on first use so that Java-only tests need no Erlang.
     */
    private synchronized Path erlangCode() {
        if (erlangCode == null) {
            Path dir = classDir.resolve("ebin");
            try {
                Files.createDirectories(dir);
                ErlangRuntime runtime = ErlangRuntime.require();
                ErlangNode.compilePeer(runtime, dir);
                Path procPeer = dir.resolve("jdist_proc_peer.erl");
                Files.copy(ErlangRuntime.testSource("jdist_proc_peer.erl"), procPeer);
                runtime.compile(procPeer, dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            erlangCode = dir;
        }
        return erlangCode;
    }

    // Starting nodes.

    /** Starts a Java node named {@code prefix} with a random suffix, stopped after the test. */
    protected Node startJava(String prefix) {
        return startJava(prefix, UnaryOperator.identity());
    }

    protected Node startJava(String prefix, UnaryOperator<NodeConfig.Builder> configure) {
        try {
            Node node = Node.start(configure.apply(javaNode(prefix + "_" + suffix())).build());
            cleanup.push(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an {@code erl} named {@code prefix} with a random suffix, stopped after the test. */
    protected ErlangNode startErlang(String prefix) {
        return startErlang(prefix, UnaryOperator.identity());
    }

    protected ErlangNode startErlang(String prefix, UnaryOperator<ErlangNode.Builder> configure) {
        String sname = prefix + "_" + suffix();
        ErlangNode node = configure.apply(erlangNode(sname, testDir.resolve(sname))).start();
        cleanup.push(node);
        return node;
    }

    /** The port of this class's embedded EPMD, for nodes a suite starts in its own way. */
    protected int epmdPort() {
        return epmd.port();
    }

    /** A directory for {@code name} in this test's temporary directory, deleted after the test. */
    protected Path testDir(String name) {
        return testDir.resolve(name);
    }

    /** Closes {@code resource} after this test, before what was started earlier. */
    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /** The port {@code node} listens on, as its EPMD registration says. */
    protected int listenPort(Node node) throws IOException {
        String alive = node.name().substring(0, node.name().indexOf('@'));
        return epmd.client().portPlease(alive).map(NodeEntry::port)
                .orElseThrow(() -> new AssertionError(node.name() + " is not registered with EPMD"));
    }

    // Helpers for the suites' tests.

    /** Captures what jdist logs during the test. */
    LogCapture captureLogs() {
        LogCapture logs = LogCapture.start("io.jdist");
        cleanup.push(logs);
        return logs;
    }

    static Term receive(Mailbox mailbox) throws InterruptedException {
        return receive(mailbox, RECEIVE_TIMEOUT);
    }

    static Term receive(Mailbox mailbox, Duration timeout) throws InterruptedException {
        return mailbox.receive(timeout).orElseThrow(() -> new AssertionError(mailbox + " received nothing within "
                + timeout.toMillis() + " ms"));
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("expected within " + RECEIVE_TIMEOUT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    /** {@code node}'s name as an Erlang atom, for an expression {@code erl} evaluates. */
    static String atom(Node node) {
        return ErlangNode.atom(node.name());
    }

    static String suffix() {
        return Integer.toHexString(RANDOM.nextInt() & 0x7fffffff);
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary file is not worth failing a test for.
        }
    }
}
