package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.NodeEntry;
import io.jdist.term.Term;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.LogCapture;
import io.jdist.testing.NodeTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
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
 * <p>Each test class gets an embedded EPMD of its own on an ephemeral port ({@link NodeTestBase}),
 * shared by its Java nodes and given to {@code erl} as {@code ERL_EPMD_PORT}, so the suites never
 * touch port 4369 and classes can run in parallel. Every node has a unique name; everything a test
 * starts is stopped after it, {@code erl} by its own process handle.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractInteropSuite extends NodeTestBase {

    static final SecureRandom RANDOM = new SecureRandom();
    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

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
                .epmdPort(epmdPort()).bindAddress(hostAddress());
        carrierSettings().forEach(builder::carrierSetting);
        return builder;
    }

    /**
     * How an {@code erl} of the suite is started for this carrier; tests add to this. For TCP it is
     * plain {@code erl -sname}; other carriers add their {@code -proto_dist} and its options.
     */
    protected ErlangNode.Builder erlangNode(String sname, Path workingDir) {
        return ErlangNode.builder(sname).cookie(cookie).epmdPort(epmdPort()).workingDir(workingDir)
                .codePath(erlangCode());
    }

    // Starting nodes.

    /** Starts a Java node named {@code prefix} with a random suffix, stopped after the test. */
    protected Node startJava(String prefix) {
        return startJava(prefix, UnaryOperator.identity());
    }

    protected Node startJava(String prefix, UnaryOperator<NodeConfig.Builder> configure) {
        try {
            return closeAfterTest(Node.start(configure.apply(javaNode(prefix + "_" + suffix())).build()));
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
        return closeAfterTest(configure.apply(erlangNode(sname, testDir(sname))).start());
    }

    /** The port {@code node} listens on, as its EPMD registration says. */
    protected int listenPort(Node node) throws IOException {
        String alive = node.name().substring(0, node.name().indexOf('@'));
        return epmd().client().portPlease(alive).map(NodeEntry::port)
                .orElseThrow(() -> new AssertionError(node.name() + " is not registered with EPMD"));
    }

    // Helpers for the suites' tests.

    /** Captures what jdist logs during the test. */
    LogCapture captureLogs() {
        return closeAfterTest(LogCapture.start("io.jdist"));
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
}
