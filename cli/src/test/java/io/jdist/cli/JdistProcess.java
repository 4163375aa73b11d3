package io.jdist.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jdist} command in a child JVM, on this test run's class path, with pipes to its stdin,
 * stdout and stderr: what a script driving {@code jdist node} sees. Stdout is read line by line;
 * stderr is collected whole. {@link #close()} stops the process (and any child of it) by its own
 * handle.
 */
final class JdistProcess implements AutoCloseable {

    /** How long one result line may take: a JVM starting on a busy machine is slow. */
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(30);
    private static final String END = "\u0000end of stdout";

    private final Process process;
    private final List<String> command;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private JdistProcess(List<String> command, Map<String, String> environment, Path workingDir) {
        this.command = command;
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        stdin = process.getOutputStream();
        stdoutReader = pump("stdout", process.getInputStream(), line -> stdout.add(line), () -> stdout.add(END));
        stderrReader = pump("stderr", process.getErrorStream(), line -> stderr.append(line).append('\n'), () -> { });
    }

    /** Starts {@code java -cp <this class path> io.jdist.cli.Jdist <arguments>}. */
    static JdistProcess start(String... arguments) {
        return start(Map.of(), null, List.of(arguments));
    }

    /** {@link #start(String...)} with more environment variables and a working directory ({@code null}: this one). */
    static JdistProcess start(Map<String, String> environment, Path workingDir, List<String> arguments) {
        return new JdistProcess(javaCommand(arguments), environment, workingDir);
    }

    /**
     * The command line of a JVM running {@code jdist} with {@code arguments}: small and quick to
     * start, since several run beside the tests and other builds.
     */
    static List<String> javaCommand(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss1m",
                "-cp", System.getProperty("java.class.path"), Jdist.class.getName()));
        command.addAll(arguments);
        return command;
    }

    private static Thread pump(String name, InputStream in, java.util.function.Consumer<String> lines,
            Runnable atEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // The process is gone; what it wrote so far is all there is.
            } finally {
                atEnd.run();
            }
        }, "jdist-test-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Writes one command line to stdin. */
    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write '" + line + "' to jdist: it has ended?\n" + describe(), e);
        }
    }

    /** Sends {@code line} and returns the one result line it gives. */
    String run(String line) {
        send(line);
        return nextLine();
    }

    /** The next line on stdout, waiting up to {@link #LINE_TIMEOUT}. */
    String nextLine() {
        try {
            String line = stdout.poll(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no line on jdist's stdout within " + LINE_TIMEOUT.toSeconds() + " s\n"
                        + describe());
            }
            if (line.equals(END)) {
                stdout.add(END);
                throw new AssertionError("jdist's stdout ended\n" + describe());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Closes stdin, waits for the process to end and returns its exit status. */
    int finish() {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already gone: waitFor tells how it ended.
        }
        return awaitExit();
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit() {
        try {
            if (!process.waitFor(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("jdist did not end within " + LINE_TIMEOUT.toSeconds() + " s\n" + describe());
            }
            stdoutReader.join(5000);
            stderrReader.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What was written to stdout and not yet read, once the process has ended. */
    List<String> remainingStdout() {
        List<String> lines = new ArrayList<>();
        stdout.drainTo(lines);
        lines.remove(END);
        return lines;
    }

    /** What the process wrote to stderr so far. */
    String stderr() {
        return stderr.toString();
    }

    long pid() {
        return process.pid();
    }

    /** The command (its cookie hidden) and stderr, for failure messages. */
    String describe() {
        List<String> shown = new ArrayList<>(command.subList(command.indexOf(Jdist.class.getName()), command.size()));
        int cookie = shown.indexOf("--cookie");
        if (cookie >= 0 && cookie + 1 < shown.size()) {
            shown.set(cookie + 1, "(cookie)");
        }
        return "command: " + String.join(" ", shown) + "\nstderr:\n" + stderr;
    }

    /** Stops the process and anything it started, by their handles. Idempotent. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
