package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.term.Atom;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code jdist node} in a real pseudo-terminal, made by util-linux {@code script}: the prompt, Tab
 * completion of a command and of a node name that only EPMD knows, the history recalled with the
 * up arrow and kept in its file, a message shown as it arrives, and Ctrl-C ending a wait. Keys are
 * sent as a terminal sends them ({@code ESC O A} for up, in the application cursor mode that the
 * line editor turns on).
 */
class NodeShellTerminalTest extends ShellTestBase {

    private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(30);
    /** Escape sequences and the control characters a line editor writes around the text. */
    private static final Pattern CONTROL = Pattern.compile(
            "\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B[=>78]|[\r\u0007]");

    @Test
    void thePromptCompletesRecallsHistoryShowsArrivalsAndCtrlCInterrupts() throws Exception {
        Path script = requireScript();
        String a = uniqueName("a");
        String b = uniqueName("zb");
        Node nodeB = closeAfterTest(Node.start(NodeConfig.builder().sname(b).cookie(cookie).epmdPort(epmdPort())
                .bindAddress(hostAddress()).build()));
        Path history = testDir().resolve("history");
        Screen screen = closeAfterTest(new Screen(script, nodeArguments(a, "--history", history.toString())));
        String prompt = "jdist(" + atom(fullName(a)) + ")";

        screen.await(prompt + "1> ");
        screen.type("pi\t");
        screen.await(prompt + "1> ping ");
        screen.type("zb\t");
        screen.await(prompt + "1> ping " + nodeB.name() + " ");
        screen.type("\r");
        screen.await("pong\n" + prompt + "2> ");

        screen.type("\u001BOA");
        screen.await(prompt + "2> ping " + nodeB.name());
        screen.type("\r");
        screen.await("pong\n" + prompt + "3> ");

        screen.type("register shell\r");
        screen.await("true\n" + prompt + "4> ");
        try (Mailbox sender = nodeB.createMailbox()) {
            sender.send("shell", fullName(a), Atom.of("hello_terminal"));
            screen.await("% arrived: hello_terminal");
        }

        screen.type("receive\r");
        screen.await("hello_terminal\n" + prompt + "5> ");
        // Nothing more is queued: this receive waits until Ctrl-C, once the command runs.
        screen.type("receive\r");
        screen.await(prompt + "5> receive\n");
        Thread.sleep(300);
        screen.type("\u0003");
        screen.await("error: receive interrupted\n" + prompt + "6> ");

        screen.type("quit\r");
        screen.await("ok\n");
        assertEquals(0, screen.awaitExit(), screen.text());
        List<String> lines = Files.readAllLines(history).stream()
                .map(line -> line.substring(line.indexOf(':') + 1)).toList();
        assertEquals(List.of("ping " + nodeB.name(), "register shell", "receive", "quit"), lines,
                "the history file, without repeats");
    }

    /** util-linux {@code script}, which runs a command in a new pseudo-terminal. */
    private static Path requireScript() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "script");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "util-linux script not found on PATH; it makes the pseudo-terminal of this test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    /** What the terminal shows, as text without escape sequences, and the keys typed into it. */
    private static final class Screen implements AutoCloseable {

        private final Process process;
        private final OutputStream keys;
        private final StringBuffer raw = new StringBuffer();

        Screen(Path script, List<String> arguments) {
            // The size is set inside the terminal: without one, a line editor has no width to draw in.
            String command = "stty cols 200 rows 50; exec " + JdistProcess.javaCommand(arguments).stream()
                    .map(Screen::quote).collect(Collectors.joining(" "));
            ProcessBuilder builder = new ProcessBuilder(List.of(script.toString(), "-qfec", command, "/dev/null"))
                    .redirectErrorStream(true);
            builder.environment().put("TERM", "xterm");
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + script, e);
            }
            keys = process.getOutputStream();
            Thread reader = new Thread(() -> read(process.getInputStream()), "jdist-test-terminal");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream in) {
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    raw.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The terminal is gone.
            }
        }

        private static String quote(String argument) {
            return "'" + argument.replace("'", "'\\''") + "'";
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** The screen's text so far, escape sequences removed. */
        String text() {
            return CONTROL.matcher(raw).replaceAll("");
        }

        /** Waits until the screen's text contains {@code expected}. */
        void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + SCREEN_TIMEOUT.toNanos();
            while (!text().contains(expected)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !text().contains(expected)) {
                    Thread.sleep(200); // what the terminal still had to say
                    fail("the terminal did not show " + show(expected) + " within " + SCREEN_TIMEOUT.toSeconds()
                            + " s; it shows:\n" + show(text()));
                }
                Thread.sleep(20);
            }
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(SCREEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "jdist did not end after quit:\n" + text());
            return process.exitValue();
        }

        private static String show(String text) {
            List<String> shown = new ArrayList<>();
            text.lines().forEach(line -> shown.add("| " + line.replace("\t", "\\t").replace("\u001B", "\\e")));
            return String.join("\n", shown);
        }

        /** Stops {@code script} and what runs in its terminal, by their handles. */
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
