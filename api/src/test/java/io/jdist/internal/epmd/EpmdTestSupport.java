package io.jdist.internal.epmd;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Helpers for the EPMD tests: free ports, unique names, and real {@code epmd}/{@code erl}
 * processes that each test owns through their {@link Process} handles and stops itself.
 */
final class EpmdTestSupport {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, Path> logs = new ConcurrentHashMap<>();

    /** A port that was free a moment ago: bind port 0, note the port, close. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A node name no parallel test uses. */
    static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The path of an OTP executable. Missing: the test fails when {@code CI=true} (CI must run
     * the interop tests), else it is skipped.
     */
    static Path otpExecutable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "'" + name + "' is not on the PATH; install Erlang/OTP (Debian: erlang-base)"
                + " to run the EPMD interop tests";
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    /** Starts a process with its output in a file of {@code dir}; stopped by {@link #stopAll()}. */
    Process start(Path dir, Map<String, String> env, String... command) throws IOException {
        Path log = Files.createTempFile(dir, "process", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        logs.put(process, log);
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** Starts {@code epmd -port N} in the foreground, on loopback only, and waits until it answers. */
    Process startRealEpmd(Path dir, int port) throws Exception {
        Process epmd = start(dir, Map.of("ERL_EPMD_ADDRESS", "127.0.0.1"),
                otpExecutable("epmd").toString(), "-port", Integer.toString(port));
        EpmdClient client = EpmdClient.builder().port(port).build();
        await("epmd on port " + port + " to answer", () -> {
            try {
                return Optional.of(client.names());
            } catch (IOException e) {
                return Optional.empty();
            }
        });
        return epmd;
    }

    /** Starts {@code erl -sname NAME} that registers at the EPMD on {@code epmdPort} and idles. */
    Process startErl(Path dir, int epmdPort, String aliveName) throws IOException {
        return start(dir, Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort), "HOME", dir.toString()),
                otpExecutable("erl").toString(), "-sname", aliveName, "-setcookie", "epmdtest",
                "-noshell", "-noinput", "-start_epmd", "false");
    }

    /** The combined stdout and stderr of a process started by {@link #start}, so far. */
    String output(Process process) throws IOException {
        return Files.readString(logs.get(process), StandardCharsets.UTF_8);
    }

    /** Stops one process: politely, then forcibly, and waits for it (and its children). */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }

    /** Stops every process this instance started. */
    void stopAll() throws InterruptedException {
        synchronized (processes) {
            for (Process process : processes) {
                stop(process);
            }
            processes.clear();
        }
    }

    /** Polls until the supplier yields a value, failing after {@link #PATIENCE}. */
    static <T> T await(String what, Callable<Optional<T>> poll) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Optional<T> value = poll.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Polls until the condition holds, failing after {@link #PATIENCE}. */
    static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
        await(what, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
