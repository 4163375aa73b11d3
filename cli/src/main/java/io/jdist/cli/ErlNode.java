package io.jdist.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Erlang node started as an OS process: {@code erl -sname NAME -noshell -noinput
 * -start_epmd false}, registered in the EPMD at a port of the caller's choosing ({@code
 * ERL_EPMD_PORT}), listening on loopback only, and running an Erlang program given as {@code
 * -eval} expressions. It is ready once the program has run: the node then prints a line with its
 * name and OTP release, which {@link #awaitReady} waits for.
 *
 * <p>It is stopped by its own process handle, never by name: {@link #kill()} at once, {@link
 * #close()} gracefully first. Its working directory is also its {@code HOME} (so no user's
 * {@code .erlang.cookie} is read or made) and receives any crash dump.
 */
final class ErlNode implements AutoCloseable {

    private static final String READY = "jdist-erl-ready";
    /** Lines of output kept for failure messages. */
    private static final int KEPT_LINES = 200;

    private final Process process;
    private final List<String> command;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private String name;
    private String otpRelease;

    private ErlNode(Process process, List<String> command) {
        this.process = process;
        this.command = List.copyOf(command);
        Thread reader = new Thread(this::readOutput, "erl-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The {@code erl} on the {@code PATH}, if there is one. */
    static Optional<Path> findErl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "erl")).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /** Starts describing a node named {@code sname} (the host is this host's), run by {@code erl}. */
    static Builder builder(Path erl, String sname) {
        return new Builder(erl, sname);
    }

    /** The node's full name, {@code node()}. */
    String name() {
        return name;
    }

    /** The OTP release, {@code erlang:system_info(otp_release)}, such as {@code 25}. */
    String otpRelease() {
        return otpRelease;
    }

    /** The OS process id of the emulator. */
    long pid() {
        return process.pid();
    }

    /** Whether the OS process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** What {@code erl} printed (stdout and stderr), its last lines. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Kills the node at once ({@code SIGKILL} to its pid) and waits until it is gone. */
    void kill() throws InterruptedException, IOException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IOException("erl (OS pid " + pid() + ") still runs 10 s after SIGKILL");
        }
    }

    /** Stops the node: {@code SIGTERM} (erl shuts down in order), then {@code SIGKILL} after 5 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith(READY + " ") && !ready.isDone()) {
                    ready.complete(line.substring(READY.length() + 1));
                    continue;
                }
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_LINES) {
                        output.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is kept.
        }
        ready.completeExceptionally(new IOException("erl exited before it was ready"));
    }

    /**
     * Waits until the program has run, so that {@link #name()} and {@link #otpRelease()} are known.
     *
     * @throws IOException if erl exits or is not ready within {@code timeout}, with its most telling
     *     line of output; the process is stopped then
     */
    ErlNode awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            String[] fields = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS).split(" ");
            name = fields[0];
            otpRelease = fields.length > 1 ? fields[1] : "?";
            return this;
        } catch (TimeoutException e) {
            close();
            throw new IOException("erl did not start within " + timeout.toSeconds() + " s" + lastWords(), e);
        } catch (ExecutionException e) {
            process.waitFor(5, TimeUnit.SECONDS);
            String status = process.isAlive() ? "" : " with status " + process.exitValue();
            close();
            throw new IOException("erl exited" + status + " before it was ready" + lastWords(), e);
        }
    }

    /**
     * The most telling line of what erl printed: its distribution's own complaint ({@code Protocol
     * 'inet_tls': ...}), else the first supervisor's reason, else its last line.
     */
    private String lastWords() {
        List<String> lines = output().stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return " (it printed nothing)";
        }
        String line = lines.stream().filter(l -> l.startsWith("Protocol '")).findFirst()
                .or(() -> lines.stream().filter(l -> l.startsWith("reason:")).findFirst())
                .orElse(lines.get(lines.size() - 1));
        return ": " + (line.length() > 240 ? line.substring(0, 240) + "..." : line);
    }

    @Override
    public String toString() {
        return "ErlNode[" + (name != null ? name : "starting") + ", OS pid " + pid() + "]: " + String.join(" ", command);
    }

    /** Describes and starts an {@link ErlNode}. */
    static final class Builder {

        private final Path erl;
        private final String sname;
        private String cookie;
        private int epmdPort;
        private Path workingDir;
        private String program = "ok";
        private final List<String> arguments = new ArrayList<>();

        private Builder(Path erl, String sname) {
            this.erl = Objects.requireNonNull(erl, "erl");
            this.sname = Objects.requireNonNull(sname, "sname");
        }

        /** The cookie; required. It is passed as {@code -setcookie} and never shown. */
        Builder cookie(String cookie) {
            this.cookie = Objects.requireNonNull(cookie, "cookie");
            return this;
        }

        /** The port of the EPMD to register in; required. */
        Builder epmdPort(int epmdPort) {
            this.epmdPort = epmdPort;
            return this;
        }

        /** The working directory, also {@code HOME} and the crash dump's place; required. */
        Builder workingDir(Path workingDir) {
            this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
            return this;
        }

        /** Erlang expressions, separated by commas, without the final dot, run once distribution is up. */
        Builder program(String program) {
            this.program = Objects.requireNonNull(program, "program");
            return this;
        }

        /** More {@code erl} arguments, such as {@code -proto_dist inet_tls}. */
        Builder arguments(List<String> more) {
            arguments.addAll(more);
            return this;
        }

        /**
         * Starts {@code erl}; {@link ErlNode#awaitReady} then waits until the program has run. The
         * node is returned at once so that it can be stopped even while it comes up.
         *
         * @throws IOException if erl cannot be started
         */
        ErlNode start() throws IOException {
            Objects.requireNonNull(cookie, "cookie");
            Objects.requireNonNull(workingDir, "workingDir");
            if (epmdPort < 1) {
                throw new IllegalStateException("epmdPort is required");
            }
            List<String> command = new ArrayList<>(List.of(erl.toString(), "-sname", sname, "-setcookie", cookie,
                    "-noshell", "-noinput", "-start_epmd", "false",
                    // loopback only: nothing the demo starts is reachable from other hosts
                    "-kernel", "inet_dist_use_interface", "{127,0,0,1}"));
            command.addAll(arguments);
            command.addAll(List.of("-eval", program + ", io:format(\"" + READY
                    + " ~s ~s~n\", [node(), erlang:system_info(otp_release)])."));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
            builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
            builder.environment().put("HOME", workingDir.toString());
            builder.environment().put("ERL_CRASH_DUMP", workingDir.resolve("erl_crash.dump").toString());
            List<String> shown = new ArrayList<>(command);
            shown.set(shown.indexOf("-setcookie") + 1, "(cookie)");
            Process process = builder.start();
            process.getOutputStream().close();
            return new ErlNode(process, shown);
        }
    }
}
