package io.jdist.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code erl} OS process started by {@link ErlangRuntime#start}. Its stderr is drained by
 * a daemon thread into a bounded buffer, so that it never blocks and can be shown in failure
 * messages. {@link #close()} stops it by its own handle.
 */
public final class ErlangProcess implements AutoCloseable {

    /** How much of stderr is kept: its last characters. */
    private static final int STDERR_LIMIT = 64 * 1024;

    private final Process process;
    private final List<String> command;
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stderrDrain;

    ErlangProcess(Process process, List<String> command) {
        this.process = process;
        this.command = List.copyOf(command);
        this.stderrDrain = new Thread(this::drainStderr, "erl-stderr-" + process.pid());
        stderrDrain.setDaemon(true);
        stderrDrain.start();
    }

    private void drainStderr() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                synchronized (stderr) {
                    stderr.append(text);
                    if (stderr.length() > STDERR_LIMIT) {
                        stderr.delete(0, stderr.length() - STDERR_LIMIT);
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is kept.
        }
    }

    /** The OS process. */
    public Process process() {
        return process;
    }

    /** The process's stdin. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** The process's stdout. */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /** What the process has written to stderr so far (its last 64 K characters). */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** A description for failure messages: the command, whether it still runs, and its stderr. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with status " + process.exitValue();
        String err = stderr();
        return "erl (pid " + process.pid() + ", " + state + "): " + String.join(" ", command)
                + (err.isEmpty() ? "\n(nothing on stderr)" : "\n--- erl stderr ---\n" + err + "\n--- end of stderr ---");
    }

    /** Kills the process at once, without waiting. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Stops the process: closes its stdin (a port program halts at end of input) and waits a few
     * seconds, then terminates it, then kills it.
     */
    @Override
    public void close() {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // Already closed or broken: the steps below stop it anyway.
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            stderrDrain.join(2000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
