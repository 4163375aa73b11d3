package io.jdist.testing;

import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.TermEncoder;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real distributed Erlang node for interop tests: {@code erl -sname NAME -setcookie COOKIE
 * -start_epmd false} registered in the EPMD of the test's choosing ({@code ERL_EPMD_PORT}), and
 * driven over its stdin and stdout by the test peer {@code src/test/erlang/jdist_node_peer.erl},
 * a control channel that does not depend on distribution working.
 *
 * <p>{@link #close()} stops the OS process by its own handle (after resuming it if it was
 * suspended); nothing is ever stopped by name.
 */
public final class ErlangNode implements AutoCloseable {

    /** How long an evaluation may take unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The peer module; its source travels in the test jar under {@code erlang/}. */
    private static final String MODULE = "jdist_node_peer";
    private static final Atom EVAL = Atom.of("eval");
    /** Extra time the control channel waits beyond an evaluation's own timeout. */
    private static final Duration CHANNEL_SLACK = Duration.ofSeconds(10);

    private final ErlPort port;
    private final String name;
    private volatile boolean suspended;

    private ErlangNode(ErlPort port) {
        this.port = port;
        try {
            this.name = ((Atom) eval("node()", Duration.ofSeconds(30))).name();
        } catch (RuntimeException | Error e) {
            port.close();
            throw e;
        }
    }

    /** Starts describing a node named {@code sname} (an alive name: the host is this host's). */
    public static Builder builder(String sname) {
        return new Builder(sname);
    }

    /**
     * Compiles the peer module into {@code outputDir}, for {@link Builder#codePath}: once per test
     * class is enough.
     */
    public static void compilePeer(ErlangRuntime runtime, Path outputDir) {
        Path source = outputDir.resolve(MODULE + ".erl");
        try (InputStream in = ErlangNode.class.getResourceAsStream("/erlang/" + MODULE + ".erl")) {
            if (in != null) {
                Files.copy(in, source);
            } else {
                // Running from api's own sources without the test resources on the class path.
                Files.copy(ErlangRuntime.testSource(MODULE + ".erl"), source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the " + MODULE + " source to " + outputDir, e);
        }
        runtime.compile(source, outputDir);
    }

    /** The node's full name, {@code node()} in Erlang. */
    public String name() {
        return name;
    }

    /** The OS process id of {@code erl}'s emulator. */
    public long pid() {
        return port.process().process().pid();
    }

    /** The OS process, with its stderr for failure messages. */
    public ErlangProcess process() {
        return port.process();
    }

    /** {@link #eval(String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public Term eval(String expressions) {
        return eval(expressions, DEFAULT_TIMEOUT);
    }

    /**
     * Evaluates Erlang expressions (the final dot may be left out) in a new process on the node and
     * returns the value of the last.
     *
     * @throws AssertionError if the evaluation fails or takes longer than {@code timeout}, with
     *     Erlang's error and the node's stderr
     */
    public Term eval(String expressions, Duration timeout) {
        String text = expressions.strip();
        if (!text.endsWith(".")) {
            text += ".";
        }
        byte[] request = TermEncoder.standard().encode(
                Tuple.of(EVAL, Binary.of(text), Int.of(timeout.toMillis())));
        Term reply = TermDecoder.standard().decode(port.request(request, timeout.plus(CHANNEL_SLACK)));
        if (reply instanceof Tuple tuple && tuple.arity() == 2) {
            if (tuple.get(0).equals(Atom.OK)) {
                return tuple.get(1);
            }
            if (tuple.get(0).equals(Atom.ERROR) && tuple.get(1) instanceof Binary error) {
                throw new AssertionError("erl " + name + " failed to evaluate " + text + "\n" + error.utf8()
                        + "\n" + port.process().describe());
            }
        }
        throw new AssertionError("unexpected answer from erl: " + reply);
    }

    /** Kills {@code erl} at once (SIGKILL by its pid) and waits for it to be gone. */
    public void kill() {
        Process process = port.process().process();
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("erl " + name + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for erl to die", e);
        }
    }

    /** Stops the OS process without ending it ({@code kill -STOP}): it holds its sockets and says nothing. */
    public void suspend() {
        signal("STOP");
        suspended = true;
    }

    /** Lets a suspended process run again ({@code kill -CONT}). */
    public void resume() {
        signal("CONT");
        suspended = false;
    }

    private void signal(String signal) {
        List<String> command = List.of("kill", "-" + signal, Long.toString(pid()));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            kill.getOutputStream().close();
            String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /**
     * Stops the node: resumes it if suspended, closes its stdin (the peer halts at end of input),
     * then terminates and kills it if need be. Idempotent.
     */
    @Override
    public void close() {
        if (suspended && port.process().process().isAlive()) {
            try {
                resume();
            } catch (RuntimeException | AssertionError e) {
                port.process().kill();
            }
        }
        port.close();
    }

    @Override
    public String toString() {
        return "ErlangNode[" + name + ", pid " + pid() + "]";
    }

    /** {@code text} as an Erlang atom literal, quoted: {@code 'java@host'}. */
    public static String atom(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Describes and starts an {@link ErlangNode}. */
    public static final class Builder {

        private final String sname;
        private String cookie;
        private Integer epmdPort;
        private Path workingDir;
        private Path codePath;
        private Integer ticktimeSeconds;
        private final List<String> arguments = new ArrayList<>();

        private Builder(String sname) {
            this.sname = Objects.requireNonNull(sname, "sname");
        }

        /** The cookie, given as {@code -setcookie}. Required. */
        public Builder cookie(String cookie) {
            this.cookie = Objects.requireNonNull(cookie, "cookie");
            return this;
        }

        /** The port of the EPMD to register in, given as {@code ERL_EPMD_PORT}. Required. */
        public Builder epmdPort(int epmdPort) {
            this.epmdPort = epmdPort;
            return this;
        }

        /** The working directory, which also receives any crash dump. Required. */
        public Builder workingDir(Path workingDir) {
            this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
            return this;
        }

        /** Where the compiled peer module is ({@link #compilePeer}); default: compiled into the working dir. */
        public Builder codePath(Path codePath) {
            this.codePath = Objects.requireNonNull(codePath, "codePath");
            return this;
        }

        /** {@code -kernel net_ticktime}; default OTP's 60 s. */
        public Builder ticktime(Duration ticktime) {
            this.ticktimeSeconds = Math.toIntExact(ticktime.toSeconds());
            return this;
        }

        /** More {@code erl} arguments, such as a carrier's {@code -proto_dist}. */
        public Builder arguments(List<String> more) {
            arguments.addAll(more);
            return this;
        }

        /**
         * Starts {@code erl} and waits until its distribution and control channel are up; skips the
         * test (fails it on CI) when Erlang is not installed.
         *
         * @throws AssertionError with {@code erl}'s stderr if it does not come up
         */
        public ErlangNode start() {
            Objects.requireNonNull(cookie, "cookie");
            Objects.requireNonNull(epmdPort, "epmdPort");
            Objects.requireNonNull(workingDir, "workingDir");
            ErlangRuntime runtime = ErlangRuntime.require();
            try {
                Files.createDirectories(workingDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path code = codePath;
            if (code == null) {
                compilePeer(runtime, workingDir);
                code = workingDir;
            }
            List<String> command = new ArrayList<>(List.of(runtime.erl().toString(),
                    "-sname", sname, "-setcookie", cookie, "-noshell", "-noinput", "-start_epmd", "false"));
            if (ticktimeSeconds != null) {
                command.addAll(List.of("-kernel", "net_ticktime", ticktimeSeconds.toString()));
            }
            command.addAll(arguments);
            command.addAll(List.of("-pa", code.toString(), "-s", MODULE, "start"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
            builder.environment().put("ERL_EPMD_PORT", epmdPort.toString());
            builder.environment().put("ERL_CRASH_DUMP", workingDir.resolve("erl_crash.dump").toString());
            builder.environment().put("HOME", workingDir.toString());
            ErlangProcess process;
            try {
                process = new ErlangProcess(builder.start(), redact(command));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + redact(command), e);
            }
            return new ErlangNode(new ErlPort(process));
        }

        /** The command without the cookie, for failure messages. */
        private List<String> redact(List<String> command) {
            List<String> shown = new ArrayList<>(command);
            int at = shown.indexOf("-setcookie");
            if (at >= 0 && at + 1 < shown.size()) {
                shown.set(at + 1, "(cookie)");
            }
            return shown;
        }
    }
}
