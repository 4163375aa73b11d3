package io.jdist.cli;

import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the tests of {@code jdist node} share: an embedded EPMD of the class's own on an ephemeral
 * port (so nothing touches port 4369 and classes can run beside other builds), a temporary
 * directory per test, unique node names, and the shells started, each stopped after its test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ShellTestBase {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cookie of this class's nodes. */
    protected final String cookie = "shell-cookie-" + Long.toHexString(RANDOM.nextLong());

    private EmbeddedEpmd.Lease epmd;
    private Path classDir;
    private Path testDir;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @BeforeAll
    void startEpmd() throws IOException {
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
    void stopEverything() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The address this host's name resolves to, where short-named nodes and the EPMD listen. */
    static InetAddress hostAddress() {
        try {
            return InetAddress.getByName(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve this host's name, which -sname needs", e);
        }
    }

    protected int epmdPort() {
        return epmd.port();
    }

    protected Path testDir() {
        return testDir;
    }

    /** Closes {@code resource} after the test, before what was registered earlier. */
    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /** {@code prefix} with a random suffix, unique among the nodes on this machine. */
    static String uniqueName(String prefix) {
        return prefix + "_" + Integer.toHexString(RANDOM.nextInt() & 0x7fffffff);
    }

    /**
     * The arguments of {@code jdist node} for a node of this class, before {@code more}; the class's
     * cookie unless {@code more} gives one.
     */
    protected List<String> nodeArguments(String sname, String... more) {
        List<String> arguments = new ArrayList<>(List.of("node", "--sname", sname,
                "-Ddist.epmdPort=" + epmdPort(), "-Ddist.bindAddress=" + hostAddress().getHostAddress()));
        if (!List.of(more).contains("--cookie")) {
            arguments.addAll(List.of("--cookie", cookie));
        }
        arguments.addAll(List.of(more));
        return arguments;
    }

    /** Starts {@code jdist node --sname sname} in a child JVM, stopped after the test. */
    protected JdistProcess startShell(String sname, String... more) {
        return closeAfterTest(JdistProcess.start(java.util.Map.of(), testDir, nodeArguments(sname, more)));
    }

    /** The full name of the node {@code sname} on this host, as {@code -sname} makes it. */
    static String fullName(String sname) {
        return sname + "@" + shortHostName();
    }

    /** This host's name up to the first dot, the host part of short node names. */
    static String shortHostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host.indexOf('.') > 0 ? host.substring(0, host.indexOf('.')) : host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this host's name, which -sname needs", e);
        }
    }

    /** {@code node} as the shell prints it: an atom, quoted when Erlang needs quotes. */
    static String atom(String node) {
        return Atom.of(node).toString();
    }

    static void deleteTree(Path root) {
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
