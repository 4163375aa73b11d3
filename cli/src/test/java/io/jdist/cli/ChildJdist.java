package io.jdist.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code jdist} in a JVM of its own, on this test's class path: for commands that run until
 * interrupted, or that need another environment. Its stdout and stderr are merged and collected;
 * {@link #close()} stops it by its own process handle.
 */
final class ChildJdist implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private ChildJdist(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "child-jdist-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code jdist args} with {@code environment} added to this JVM's. */
    static ChildJdist start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Jdist.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return new ChildJdist(process);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is kept
        }
    }

    /** Waits for a line matching {@code condition}, failing with everything printed so far. */
    String awaitLine(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (condition.test(line)) {
                        return line;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no such line within " + timeout.toSeconds() + " s; the child printed:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.min(left, 100));
            }
        }
    }

    /** Waits for the child to exit and returns its status. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child jdist did not exit within " + timeout.toSeconds() + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything printed so far. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines) + "\n";
        }
    }

    Process process() {
        return process;
    }

    /** Stops the child: SIGTERM (its shutdown hooks run), then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
