package io.jdist.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Erlang/OTP installation on the {@code PATH}, for tests that check jdist against a real
 * Erlang: finds {@code erl} and {@code erlc}, compiles test modules and starts {@code erl}.
 *
 * <p>Tests call {@link #require()}: without Erlang they are skipped, except on CI (the environment
 * variable {@code CI=true}), where they fail so that a missing installation cannot pass unnoticed.
 *
 * <p>Every {@code erl} is started in a working directory of the caller's choosing (a temporary
 * one), which also receives any crash dump; nothing listens on a port.
 */
public final class ErlangRuntime {

    /** The directory of the test Erlang modules, relative to the module's base directory. */
    private static final String TEST_SOURCES = "src/test/erlang";

    private final Path erl;
    private final Path erlc;

    private ErlangRuntime(Path erl, Path erlc) {
        this.erl = erl;
        this.erlc = erlc;
    }

    /**
     * The installation on the {@code PATH}. When there is none the calling test is skipped through
     * JUnit's {@link Assumptions}, or fails when the environment variable {@code CI} is {@code true}.
     */
    public static ErlangRuntime require() {
        Optional<ErlangRuntime> runtime = find();
        if (runtime.isEmpty()) {
            String message = missingMessage();
            if (onCi()) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return runtime.get();
    }

    /** Whether the tests run on CI (environment variable {@code CI=true}), where Erlang is required. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** What is missing, as in {@code "erl not found on PATH; install erlang-base"}. */
    static String missingMessage() {
        return (onPath("erl").isEmpty() ? "erl" : "erlc") + " not found on PATH; install erlang-base";
    }

    /** The installation on the {@code PATH}, if both {@code erl} and {@code erlc} are there. */
    public static Optional<ErlangRuntime> find() {
        Optional<Path> erl = onPath("erl");
        Optional<Path> erlc = onPath("erlc");
        return erl.isPresent() && erlc.isPresent()
                ? Optional.of(new ErlangRuntime(erl.get(), erlc.get())) : Optional.empty();
    }

    /** {@code program} in a directory of the {@code PATH}, if it is there and executable. */
    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path erl() {
        return erl;
    }

    public Path erlc() {
        return erlc;
    }

    /**
     * The test Erlang source {@code fileName}: the test resource {@code erlang/<fileName>} (the api
     * module's {@code src/test/erlang}, which its test jar carries; copied to a temporary file when
     * it is inside a jar), else {@code src/test/erlang/<fileName>} under the module's base
     * directory (Maven's {@code basedir} property, else the working directory).
     */
    public static Path testSource(String fileName) {
        URL resource = ErlangRuntime.class.getClassLoader().getResource("erlang/" + fileName);
        if (resource != null) {
            try {
                if (resource.getProtocol().equals("file")) {
                    return Path.of(resource.toURI());
                }
                Path copy = Files.createTempDirectory("jdist-erlang-source-").resolve(fileName);
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, copy);
                }
                copy.toFile().deleteOnExit();
                copy.getParent().toFile().deleteOnExit();
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path source = Path.of(System.getProperty("basedir", "."), TEST_SOURCES, fileName);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no Erlang test source erlang/" + fileName + " on the class path nor "
                    + source.toAbsolutePath());
        }
        return source;
    }

    /**
     * Compiles {@code source} with {@code erlc} into {@code outputDir}.
     *
     * @throws AssertionError with the compiler's output if it fails
     */
    public void compile(Path source, Path outputDir) {
        List<String> command = List.of(erlc.toString(), "-o", outputDir.toString(), source.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try {
                output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("erlc did not finish in 60 s: " + command);
                }
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("erlc failed with status " + process.exitValue() + ": " + command
                        + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while compiling " + source, e);
        }
    }

    /**
     * Starts {@code erl} with {@code arguments} in {@code workingDir}, with pipes to its stdin and
     * stdout; its stderr is collected by the returned handle.
     */
    public ErlangProcess start(Path workingDir, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(erl.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.environment().put("ERL_CRASH_DUMP", workingDir.resolve("erl_crash.dump").toString());
        try {
            return new ErlangProcess(builder.start(), command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Compiles the test module {@code src/test/erlang/<module>.erl} into {@code workingDir} and
     * starts it as a port program: {@code erl -noshell -noinput -pa workingDir -s module start}.
     * The module's {@code start/0} must open {@code {fd, 0, 1}} with {@code {packet, 4}} and keep
     * everything else off stdout.
     */
    public ErlPort startPortProgram(String module, Path workingDir) {
        compile(testSource(module + ".erl"), workingDir);
        ErlangProcess process = start(workingDir, List.of(
                "-noshell", "-noinput", "-pa", workingDir.toString(), "-s", module, "start"));
        return new ErlPort(process);
    }
}
