package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.internal.epmd.NodeEntry;
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
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Java nodes on loopback for TLS tests: an embedded EPMD on an ephemeral port, a temporary
 * directory for certificates, unique node names, and everything stopped after each test.
 */
abstract class TlsNodeTestBase {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    final String cookie = "tls-test-cookie-" + Long.toHexString(RANDOM.nextLong());
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    EmbeddedEpmd.Lease epmd;
    Path dir;
    LogCapture logs;

    @BeforeEach
    void startEpmd() throws IOException {
        epmd = EmbeddedEpmd.acquire(InetAddress.getLoopbackAddress(), 0);
        cleanup.push(epmd);
        dir = Files.createTempDirectory("jdist-tls-test-");
        logs = LogCapture.start("io.jdist");
        cleanup.push(logs);
    }

    @AfterEach
    void stopEverything() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Closes {@code resource} after the test, before the nodes started earlier. */
    void cleanupLater(AutoCloseable resource) {
        cleanup.push(resource);
    }

    /** Starts a node named {@code prefix} plus a random suffix on {@code carrier}, stopped after the test. */
    Node start(String prefix, String carrier, Map<String, String> settings, UnaryOperator<NodeConfig.Builder> more) {
        NodeConfig.Builder b = NodeConfig.builder().sname(prefix + "_" + Integer.toHexString(RANDOM.nextInt() & 0x7fffffff))
                .cookie(cookie).carrier(carrier).epmdPort(epmd.port()).bindAddress(InetAddress.getLoopbackAddress());
        settings.forEach(b::carrierSetting);
        try {
            Node node = Node.start(more.apply(b).build());
            cleanup.push(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Node startTls(String prefix, TlsTestFiles files) {
        return start(prefix, "tls", files.settings(), UnaryOperator.identity());
    }

    int listenPort(Node node) throws IOException {
        String alive = node.name().substring(0, node.name().indexOf('@'));
        return epmd.client().portPlease(alive).map(NodeEntry::port)
                .orElseThrow(() -> new AssertionError(node.name() + " is not registered"));
    }

    /** Waits for a warning containing every one of {@code fragments}. */
    LogCapture.Entry awaitWarning(String... fragments) throws InterruptedException {
        return logs.await(e -> e.isWarning() && Stream.of(fragments).allMatch(e.text()::contains), WAIT,
                "warning containing " + String.join(" and ", fragments));
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("expected within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
