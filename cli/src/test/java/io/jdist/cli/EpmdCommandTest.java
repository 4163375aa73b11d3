package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.internal.epmd.EpmdClient;
import io.jdist.testing.ErlangRuntime;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jdist epmd} serves registrations in the foreground and {@code --names} lists them exactly
 * as {@code epmd -names} does, from its own EPMD or a real one; a taken port is one clear line.
 */
class EpmdCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aNodeRegistersWithJdistEpmdAndNamesListsIt() throws Exception {
        int port = freePort();
        try (ChildJdist epmd = ChildJdist.start(Map.of(), "epmd", "--port", Integer.toString(port))) {
            epmd.awaitLine(l -> l.equals("jdist epmd: listening on 127.0.0.1:" + port + "; interrupt (Ctrl-C) to stop"),
                    WAIT);
            try (Node node = startNode(port)) {
                String alive = node.name().substring(0, node.name().indexOf('@'));
                int nodePort = EpmdClient.builder().port(port).build().portPlease(alive).orElseThrow().port();

                InProcess.Result names = InProcess.run("epmd", "--port", Integer.toString(port), "--names");

                assertEquals(0, names.status(), names::toString);
                assertEquals("epmd: up and running on port " + port + " with data:\nname " + alive + " at port " + nodePort
                        + "\n", names.out());
                epmd.awaitLine(l -> l.startsWith("jdist epmd: registered '" + alive + "' (port " + nodePort + ")"), WAIT);
            }
            epmd.process().destroy(); // SIGTERM, as Ctrl-C: the server closes and the JVM exits
            assertEquals(143, epmd.waitFor(WAIT), epmd.output());
        }
    }

    @Test
    void namesListsWhatARealEpmdListsTheSameWay() throws Exception {
        Path epmdProgram = onPath("epmd");
        int port = freePort();
        Process epmd = new ProcessBuilder(epmdProgram.toString(), "-port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitEpmd(port);
            try (Node node = startNode(port)) {
                InProcess.Result names = InProcess.run("epmd", "--port", Integer.toString(port), "--names");

                assertEquals(0, names.status(), names::toString);
                assertTrue(names.out().contains("\nname " + node.name().substring(0, node.name().indexOf('@'))
                        + " at port "), names.out());
                assertEquals(run(epmdProgram.toString(), "-port", Integer.toString(port), "-names"), names.out());
            }
        } finally {
            epmd.destroy();
            if (!epmd.waitFor(10, TimeUnit.SECONDS)) {
                epmd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aPortTakenBySomethingElseIsOneClearLine() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            InProcess.Result result = InProcess.run("epmd", "--port", Integer.toString(port));

            assertEquals(1, result.status());
            assertEquals("error: address in use: something else listens on 127.0.0.1:" + port
                    + "; choose another port with --port\n", result.err());
        }
    }

    @Test
    void aPortTakenByAnotherEpmdSaysSoAndHowToListIt() throws IOException {
        try (EmbeddedEpmd.Lease other = EmbeddedEpmd.acquire(InetAddress.getLoopbackAddress(), 0)) {
            InProcess.Result result = InProcess.run("epmd", "--port", Integer.toString(other.port()));

            assertEquals(1, result.status());
            assertEquals("error: address in use: an epmd already listens on 127.0.0.1:" + other.port()
                    + " (jdist epmd --names --port " + other.port() + " lists its nodes); choose another port with"
                    + " --port\n", result.err());
        }
    }

    @Test
    void namesWithoutAnEpmdSaysNoneAnswers() throws IOException {
        int port = freePort();

        InProcess.Result result = InProcess.run("epmd", "--port", Integer.toString(port), "--names");

        assertEquals(1, result.status());
        assertEquals("error: no epmd answers on 127.0.0.1:" + port + " (start one with: jdist epmd --port " + port + ")\n",
                result.err());
    }

    private static Node startNode(int epmdPort) throws IOException {
        return Node.start(NodeConfig.builder().sname("epmd_test_" + Integer.toHexString(ThreadLocalRandom.current()
                .nextInt() & 0x7fffffff)).cookie("epmd-test").epmdPort(epmdPort)
                .bindAddress(InetAddress.getLoopbackAddress()).build());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static void awaitEpmd(int port) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                EpmdClient.builder().port(port).build().names();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("epmd -port " + port + " does not answer within " + WAIT.toSeconds() + " s: " + e.getMessage());
                }
                Thread.sleep(20);
            }
        }
    }

    /** {@code program} on the PATH; like {@link ErlangRuntime#require()}, a skip, or a failure on CI. */
    private static Path onPath(String program) {
        ErlangRuntime.require();
        Optional<Path> found = List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            fail(program + " not found on PATH beside erl; install erlang-base");
        }
        return found.get();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        return output;
    }
}
