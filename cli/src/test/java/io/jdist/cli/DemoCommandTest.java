package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.term.Atom;
import io.jdist.testing.ErlangRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdist demo} runs the seed documents' session end to end, says what happened step by step,
 * exits 0 only when every step worked, and leaves nothing behind: no directory, no {@code erl}.
 */
class DemoCommandTest {

    private static final Pattern DIRECTORY = Pattern.compile("(\\S*jdist-demo-\\d+)");
    private static final Pattern ERL_PID = Pattern.compile("is up: OTP \\d+, OS pid (\\d+)");
    private static final String DOWN = "{'DOWN',#Ref<";
    private static final String NOCONNECTION = ",process,{my_iex,";

    @Test
    void demoRunsTheSessionBetweenJavaNodesAndWithRealErlangNodes() {
        ErlangRuntime.require();

        InProcess.Result demo = InProcess.run("demo");

        assertEquals(0, demo.status(), demo::toString);
        String out = demo.out();
        assertTrue(out.contains("1. Two Java nodes, chip and dale, over mutual TLS"), out);
        assertTrue(out.contains("2. dale (Java) and chip (a real erl) over TCP"), out);
        assertTrue(out.contains("3. dale (Java) and chip (a real erl) over mutual TLS"), out);
        assertEquals(2, count(out, "true   % over mutual TLS; chip presented CN=jdist demo node, issued by CN=jdist"
                + " demo CA"), out);
        assertEquals(1, count(out, "true   % over tcp, to "), out);
        String chip = Atom.of("chip@" + LocalHost.shortName()).toString();
        assertEquals(3, count(out, "my_iex answered {" + chip + ",hello_from_dale}"), out);
        assertEquals(3, count(out, "true   % now dale> nodes(). gives []"), out);
        assertEquals(3, count(out, "my_iex answered {" + chip + ",hello_again}   % and dale> nodes(). gives [" + chip
                + "]"), out);
        assertEquals(2, count(out, "chip> nodes(hidden)."), out);
        assertEquals(3, countDownNoconnection(out), out);
        assertFalse(out.contains("FAILED"), out);
        assertTrue(out.contains("All 35 steps worked. Everything the demo started is stopped, and "), out);
        assertFalse(Files.exists(directory(out)), "the demo removes its directory");
        Matcher pids = ERL_PID.matcher(out);
        int erls = 0;
        while (pids.find()) {
            erls++;
            long pid = Long.parseLong(pids.group(1));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "erl " + pid + " is stopped");
        }
        assertEquals(2, erls, out);
    }

    @Test
    void withoutErlangTheJavaPartRunsAndTheRestIsSaidToBeSkipped() {
        InProcess.Result demo = InProcess.run("demo", "--no-erlang");

        assertEquals(0, demo.status(), demo::toString);
        assertTrue(demo.out().contains("  skipped: --no-erlang"), demo.out());
        assertEquals(1, countDownNoconnection(demo.out()), demo.out());
        assertTrue(demo.out().contains("All 12 steps worked."), demo.out());
        assertFalse(Files.exists(directory(demo.out())));
    }

    @Test
    void keepLeavesTheCertificatesWhereItSays() throws IOException {
        InProcess.Result demo = InProcess.run("demo", "--no-erlang", "--keep");

        Path dir = directory(demo.out());
        try {
            assertEquals(0, demo.status(), demo::toString);
            assertTrue(demo.out().contains("; kept " + dir + " (--keep)."), demo.out());
            for (String file : List.of("ca.pem", "node.pem", "node.key")) {
                assertTrue(Files.isRegularFile(dir.resolve(file)), file);
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.key"))));
        } finally {
            delete(dir);
        }
    }

    @Test
    void aFailingStepIsReportedTheRestRunsAndEverythingIsCleanedUp(@TempDir Path bin) throws Exception {
        // An erl that fails as a real one does when it cannot register with EPMD.
        Path erl = bin.resolve("erl");
        Files.writeString(erl, "#!/bin/sh\necho \"Protocol 'inet_tcp': register/listen error: econnrefused\"\nexit 1\n");
        Files.setPosixFilePermissions(erl, PosixFilePermissions.fromString("rwx------"));

        String out;
        int status;
        try (ChildJdist demo = ChildJdist.start(Map.of("PATH", bin + ":" + System.getenv("PATH")), "demo")) {
            status = demo.waitFor(Duration.ofSeconds(120));
            out = demo.output();
        }

        assertEquals(1, status, out);
        assertEquals(1, countDownNoconnection(out), "the Java part still runs: " + out);
        assertEquals(2, count(out, "FAILED: erl exited with status 1 before it was ready: Protocol 'inet_tcp':"
                + " register/listen error: econnrefused"), out);
        assertEquals(2, count(out, "(the 10 steps after it in this part build on it and are skipped)"), out);
        assertTrue(out.contains("2 of 35 steps FAILED, 20 skipped after them:"), out);
        assertFalse(Files.exists(directory(out)), "the directory is removed after a failure too");
    }

    @Test
    void aDemoStoppedWhileErlStartsLeavesNoProcessAndNoDirectory() throws Exception {
        ErlangRuntime.require();
        List<ProcessHandle> started;
        String out;
        try (ChildJdist demo = ChildJdist.start(Map.of(), "demo")) {
            demo.awaitLine(l -> l.startsWith("  start erl -sname chip -proto_dist inet_tls"), Duration.ofSeconds(120));
            started = awaitDescendants(demo.process());
            demo.process().destroy(); // SIGTERM, as when a person presses Ctrl-C

            assertEquals(143, demo.waitFor(Duration.ofSeconds(60)), demo.output());
            out = demo.output();
        }

        for (ProcessHandle process : started) {
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(directory(out)), "the directory is removed: " + out);
    }

    /** The processes the demo has started (erl and its helpers), once there are some. */
    private static List<ProcessHandle> awaitDescendants(Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> descendants = process.descendants().toList();
            if (!descendants.isEmpty()) {
                return descendants;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the demo started no erl within 30 s");
    }

    private static int countDownNoconnection(String out) {
        return (int) out.lines().filter(l -> l.contains(DOWN) && l.contains(NOCONNECTION) && l.endsWith(",noconnection}"))
                .count();
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            n++;
        }
        return n;
    }

    private static Path directory(String out) {
        Matcher m = DIRECTORY.matcher(out);
        assertTrue(m.find(), "the demo names its directory: " + out);
        return Path.of(m.group(1));
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
