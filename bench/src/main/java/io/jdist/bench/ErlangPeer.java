package io.jdist.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code erl} OS process running {@code jdist_node_bench}, registered in the harness's EPMD and
 * listening on loopback only. Its output goes to a log file in the run's directory. {@link
 * #close()} stops it by its own {@link Process} handle.
 */
final class ErlangPeer implements AutoCloseable {

    static final String MODULE = "jdist_node_bench";
    /** What the module prints once its server is registered. */
    private static final String READY = MODULE + " ready";

    private final String name;
    private final Process process;
    private final Path log;

    private ErlangPeer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Copies the module's source out of the jar into {@code dir} and compiles it there with {@code erlc}. */
    static void compile(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve(MODULE + ".erl");
        try (InputStream in = ErlangPeer.class.getResourceAsStream("/erlang/" + MODULE + ".erl")) {
            if (in == null) {
                throw new IOException("erlang/" + MODULE + ".erl is missing from the class path");
            }
            Files.copy(in, source);
        }
        run(List.of("erlc", "-o", dir.toString(), source.toString()), "compiling " + source);
    }

    /**
     * Starts {@code erl -name NAME} with the module compiled into {@code dir}; see {@link
     * #awaitReady}. The name is a long name on 127.0.0.1, so that nothing depends on how this host's
     * name resolves.
     *
     * @param distribution more {@code erl} arguments, such as {@code -proto_dist inet_tls}
     */
    static ErlangPeer start(String name, String cookie, int epmdPort, Path dir, List<String> distribution)
            throws IOException {
        String alive = name.substring(0, name.indexOf('@'));
        List<String> command = new ArrayList<>(List.of("erl", "-name", name, "-setcookie", cookie,
                "-noshell", "-noinput", "-start_epmd", "false",
                "-kernel", "inet_dist_use_interface", "{127,0,0,1}"));
        command.addAll(distribution);
        command.addAll(List.of("-pa", dir.toString(), "-s", MODULE, "start"));
        Path log = dir.resolve(alive + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        builder.environment().put("ERL_CRASH_DUMP", dir.resolve(alive + ".dump").toString());
        // No ~/.erlang.cookie or ~/.erlang of the user's is read or written.
        builder.environment().put("HOME", dir.toString());
        return new ErlangPeer(name, builder.start(), log);
    }

    /** The node's full name. */
    String name() {
        return name;
    }

    /**
     * Waits until the node's server is registered, which it announces on its output: by then
     * distribution and its EPMD registration are up too.
     *
     * @throws BenchException if the node exits or is not ready within {@code timeout}
     */
    void awaitReady(Duration timeout) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logTail().contains(READY)) {
            if (!process.isAlive()) {
                throw new BenchException("erl " + name + " exited with status " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("erl " + name + " was not ready within " + timeout.toSeconds() + " s:\n"
                        + logTail());
            }
            Thread.sleep(50);
        }
    }

    /** The last lines of the node's output, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the node: SIGTERM (erl then stops cleanly), and SIGKILL if it lingers. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "erl " + name + " (pid " + process.pid() + ")";
    }

    private static void run(List<String> command, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(what + " took more than 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "):\n" + output);
        }
    }
}
