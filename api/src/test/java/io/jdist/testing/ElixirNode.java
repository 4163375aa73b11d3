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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real distributed Elixir node for interop tests, driven step by step as a person drives
 * {@code iex}: {@code elixir --sname NAME --cookie COOKIE} registered in the EPMD of the test's
 * choosing ({@code ERL_EPMD_PORT}), running the test peer {@code src/test/elixir/jdist_elixir_peer.exs},
 * which evaluates Elixir code sent over its stdin in one long-lived shell process, with {@code
 * IEx.Helpers} imported. So {@code Process.register(self(), :my_iex)} in one step and {@code
 * flush()} in a later one work on the same process and mailbox, variables carry over, and what a
 * step prints comes back with its value. The control channel is the same one {@link ErlangNode}
 * uses ({@link ErlPort}), independent of distribution.
 *
 * <p>{@link #close()} and {@link #kill()} stop the OS process by its own handle; nothing is ever
 * stopped by name.
 */
public final class ElixirNode implements AutoCloseable {

    /** How long a step may take unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String SCRIPT = "jdist_elixir_peer.exs";
    private static final Atom EVAL = Atom.of("eval");
    /** Extra time the control channel waits beyond a step's own timeout. */
    private static final Duration CHANNEL_SLACK = Duration.ofSeconds(10);

    /** What a step returned and what it printed (with what processes it started printed since the last step). */
    public record Evaluation(Term value, String output) {
    }

    private final ErlPort port;
    private final String name;

    private ElixirNode(ErlPort port) {
        this.port = port;
        try {
            this.name = ((Atom) eval("Node.self()")).name();
        } catch (RuntimeException | Error e) {
            port.close();
            throw e;
        }
    }

    /**
     * Starts describing a node named {@code name}: a short name ({@code chip}, started with {@code
     * --sname}; the host is this host's), or a long one with its host ({@code test1@127.0.0.1},
     * started with {@code --name}).
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The node's full name, {@code Node.self()}. */
    public String name() {
        return name;
    }

    /** The OS process id of the node's emulator. */
    public long pid() {
        return port.process().process().pid();
    }

    /** The OS process, with its stderr (where the node logs) for failure messages. */
    public ErlangProcess process() {
        return port.process();
    }

    /** {@link #evaluate(String, Duration)}'s value, within {@link #DEFAULT_TIMEOUT}. */
    public Term eval(String code) {
        return evaluate(code, DEFAULT_TIMEOUT).value();
    }

    /** {@link #evaluate(String, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public Evaluation evaluate(String code) {
        return evaluate(code, DEFAULT_TIMEOUT);
    }

    /**
     * Evaluates Elixir code in the node's shell process, as one {@code iex} prompt does.
     *
     * @throws AssertionError if the code raises, exits or takes longer than {@code timeout}, with
     *     Elixir's error, what the step printed and the node's stderr
     */
    public Evaluation evaluate(String code, Duration timeout) {
        byte[] request = TermEncoder.standard().encode(Tuple.of(EVAL, Binary.of(code), Int.of(timeout.toMillis())));
        Term reply = TermDecoder.standard().decode(port.request(request, timeout.plus(CHANNEL_SLACK)));
        if (reply instanceof Tuple tuple && tuple.arity() == 2) {
            if (tuple.get(0).equals(Atom.OK) && tuple.get(1) instanceof Tuple result && result.arity() == 2
                    && result.get(1) instanceof Binary output) {
                return new Evaluation(result.get(0), output.utf8());
            }
            if (tuple.get(0).equals(Atom.ERROR) && tuple.get(1) instanceof Binary error) {
                throw new AssertionError("elixir " + name + " failed to evaluate " + code + "\n" + error.utf8()
                        + "\n" + port.process().describe());
            }
        }
        throw new AssertionError("unexpected answer from elixir: " + reply);
    }

    /** Kills the node at once (SIGKILL by its pid) and waits for it to be gone. */
    public void kill() {
        Process process = port.process().process();
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("elixir " + name + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for elixir to die", e);
        }
    }

    /** Stops the node: closes its stdin (the peer halts at end of input), then terminates and kills it if need be. Idempotent. */
    @Override
    public void close() {
        port.close();
    }

    @Override
    public String toString() {
        return "ElixirNode[" + name + ", pid " + pid() + "]";
    }

    /** {@code text} as an Elixir atom literal, quoted: {@code :"java@host"}. */
    public static String atom(String text) {
        return ":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("#{", "\\#{") + "\"";
    }

    /** Copies the peer script into {@code dir}, from the test jar or, failing that, api's sources. */
    private static Path copyScript(Path dir) {
        Path target = dir.resolve(SCRIPT);
        try (InputStream in = ElixirNode.class.getResourceAsStream("/elixir/" + SCRIPT)) {
            if (in != null) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Path source = Path.of(System.getProperty("basedir", "."), "src/test/elixir", SCRIPT);
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Elixir test peer " + SCRIPT + " to " + dir, e);
        }
        return target;
    }

    /** Describes and starts an {@link ElixirNode}. */
    public static final class Builder {

        private final String name;
        private String cookie;
        private Integer epmdPort;
        private Path workingDir;
        private boolean hidden;
        private final List<String> erlArguments = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The cookie, given as {@code --cookie}. Required. */
        public Builder cookie(String cookie) {
            this.cookie = Objects.requireNonNull(cookie, "cookie");
            return this;
        }

        /** The port of the EPMD to register in, given as {@code ERL_EPMD_PORT}. Required. */
        public Builder epmdPort(int epmdPort) {
            this.epmdPort = epmdPort;
            return this;
        }

        /** The working directory, which also receives the peer script and any crash dump. Required. */
        public Builder workingDir(Path workingDir) {
            this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
            return this;
        }

        /** Starts the node with {@code --hidden}. */
        public Builder hidden() {
            this.hidden = true;
            return this;
        }

        /**
         * More switches for the Erlang runtime, given through {@code --erl}, such as a carrier's
         * {@code -proto_dist}.
         *
         * @throws IllegalArgumentException for a switch with white space in it: {@code elixir}
         *     splits its {@code --erl} string on white space
         */
        public Builder erlArguments(List<String> more) {
            for (String argument : more) {
                if (argument.isEmpty() || argument.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("elixir splits --erl on white space, so it cannot pass '"
                            + argument + "'");
                }
            }
            erlArguments.addAll(more);
            return this;
        }

        /**
         * Starts {@code elixir} and waits until its distribution and control channel are up; skips
         * the test (fails it on CI) when Elixir is not installed.
         *
         * @throws AssertionError with the node's stderr if it does not come up
         */
        public ElixirNode start() {
            Objects.requireNonNull(cookie, "cookie");
            Objects.requireNonNull(epmdPort, "epmdPort");
            Objects.requireNonNull(workingDir, "workingDir");
            ElixirRuntime runtime = ElixirRuntime.require();
            try {
                Files.createDirectories(workingDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path script = copyScript(workingDir);
            List<String> erl = new ArrayList<>(List.of("-start_epmd", "false", "-noinput"));
            erl.addAll(erlArguments);
            List<String> command = new ArrayList<>(List.of(runtime.elixir().toString(),
                    name.contains("@") ? "--name" : "--sname", name, "--cookie", cookie, "--erl", String.join(" ", erl)));
            if (hidden) {
                command.add("--hidden");
            }
            command.add(script.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
            builder.environment().put("ERL_EPMD_PORT", epmdPort.toString());
            builder.environment().put("ERL_CRASH_DUMP", workingDir.resolve("erl_crash.dump").toString());
            // Neither the user's ~/.erlang.cookie nor their Elixir settings take part.
            builder.environment().put("HOME", workingDir.toString());
            // Elixir warns on stderr when the VM's file name encoding is not UTF-8.
            builder.environment().put("LC_ALL", "C.UTF-8");
            ErlangProcess process;
            try {
                process = new ErlangProcess(builder.start(), redact(command));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + redact(command), e);
            }
            return new ElixirNode(new ErlPort(process));
        }

        /** The command without the cookie, for failure messages. */
        private static List<String> redact(List<String> command) {
            List<String> shown = new ArrayList<>(command);
            int at = shown.indexOf("--cookie");
            if (at >= 0 && at + 1 < shown.size()) {
                shown.set(at + 1, "(cookie)");
            }
            return shown;
        }
    }
}
