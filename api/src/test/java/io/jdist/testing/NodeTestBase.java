package io.jdist.testing;

import io.jdist.internal.epmd.EmbeddedEpmd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What tests that start nodes share, so that they can run beside other builds: an embedded EPMD of
 * the class's own on an ephemeral port (never port 4369), a cookie of the class's own, a temporary
 * directory per class and one per test, random name suffixes, and a stack of what a test started,
 * each closed after the test, newest first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NodeTestBase {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cookie of this class's nodes: distinctive, so that a log line holding it would be found. */
    protected final String cookie = "test-cookie-" + Long.toHexString(RANDOM.nextLong());

    private EmbeddedEpmd.Lease epmd;
    private Path classDir;
    private Path testDir;
    private Path erlangCode;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

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

    /** Where the class's nodes and EPMD listen: the address this host's name, and so short node names, resolve to. */
    protected static InetAddress hostAddress() {
        try {
            return InetAddress.getByName(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve this host's name, which -sname needs", e);
        }
    }

    /** This class's embedded EPMD. */
    protected EmbeddedEpmd.Lease epmd() {
        return epmd;
    }

    /** The port of this class's embedded EPMD. */
    protected int epmdPort() {
        return epmd.port();
    }

    /** This test's temporary directory, deleted after the test. */
    protected Path testDir() {
        return testDir;
    }

    /** A directory for {@code name} in this test's temporary directory. */
    protected Path testDir(String name) {
        return testDir.resolve(name);
    }

    /**
     * The compiled Erlang test peers, {@code jdist_node_peer} (which {@link ErlangNode} runs) and
     * {@code jdist_proc_peer}, compiled once per class on first use, so that tests between Java
     * nodes need no Erlang.
     */
    protected synchronized Path erlangCode() {
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

    /** Closes {@code resource} after this test, before what was registered earlier. */
    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /** A random suffix that makes a node name unique among the nodes on this machine. */
    protected static String suffix() {
        return Integer.toHexString(RANDOM.nextInt() & 0x7fffffff);
    }

    /** Deletes {@code root} and everything in it, if it exists; a file that will not go is left. */
    public static void deleteTree(Path root) {
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
