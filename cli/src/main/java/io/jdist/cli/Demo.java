package io.jdist.cli;

import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.transport.tls.ErlangOptFile;
import io.jdist.transport.tls.NodeCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The demo's story and everything it starts: an embedded EPMD on a free port, certificates in a
 * temporary directory, and per part the nodes of {@link Walkthrough}: two Java nodes over mutual
 * TLS, then, when {@code erl} is given, a Java node and a real Erlang node over TCP and over mutual
 * TLS. Everything is on loopback, and everything is stopped (erl by its process handle) and removed
 * at the end, whatever failed.
 */
final class Demo {

    private static final String CHIP = "chip";
    private static final String DALE = "dale";
    /** erl boots in a second or two; a loaded machine may take much longer. */
    private static final Duration ERL_START_TIMEOUT = Duration.ofSeconds(30);

    private final Narration narration;
    private final Optional<Path> erl;
    private final String skipErlangBecause;
    private final boolean keep;
    private final String host = LocalHost.shortName();
    private final String cookie = randomCookie();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    /** Every erl started; guarded by itself, as the shutdown hook reads it. */
    private final List<ErlNode> erlNodes = new ArrayList<>();
    /** Whether the shutdown hook has begun; guarded by {@link #erlNodes}. */
    private boolean interrupted;
    private EmbeddedEpmd.Lease epmd;
    private volatile Path dir;

    /**
     * @param erl the {@code erl} to run the Erlang parts with, or empty to skip them
     * @param skipErlangBecause why they are skipped when {@code erl} is empty
     * @param keep whether to keep the temporary directory
     */
    Demo(Narration narration, Optional<Path> erl, String skipErlangBecause, boolean keep) {
        this.narration = narration;
        this.erl = erl;
        this.skipErlangBecause = skipErlangBecause;
        this.keep = keep;
    }

    /** Runs every part, cleans up, and prints the summary; returns the exit status. */
    int run() {
        // Interrupted (Ctrl-C), the JVM exits without reaching the end: erl would outlive it.
        Thread onInterrupt = new Thread(this::stopErlAndRemoveDirectory, "jdist-demo-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            narration.heading("Setting up");
            if (narration.run(List.of(
                    new Narration.Step("start an embedded EPMD on a free port", this::startEpmd),
                    new Narration.Step("make a CA and a node certificate in a temporary directory", this::makeCertificates)))) {
                javaPart();
                if (erl.isPresent()) {
                    erlangPart("2. dale (Java) and chip (a real erl) over TCP", false);
                    erlangPart("3. dale (Java) and chip (a real erl) over mutual TLS", true);
                } else {
                    narration.heading("2. and 3. dale (Java) and chip (a real erl), over TCP and over mutual TLS");
                    narration.note("skipped: " + skipErlangBecause);
                }
            }
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // The JVM is exiting, interrupted: the hook is running.
            }
        }
        return narration.summary(cleanUp());
    }

    /** The shutdown hook: no erl starts after it began, and those started are stopped. */
    private void stopErlAndRemoveDirectory() {
        List<ErlNode> started;
        synchronized (erlNodes) {
            interrupted = true;
            started = List.copyOf(erlNodes);
        }
        started.forEach(ErlNode::close);
        if (dir != null && !keep) {
            try {
                deleteDirectory();
            } catch (UncheckedIOException e) {
                // the JVM is exiting; the directory is a temporary one
            }
        }
    }

    private String startEpmd() throws IOException {
        epmd = EmbeddedEpmd.acquire(InetAddress.getLoopbackAddress(), 0);
        running.push(epmd);
        return "listening on 127.0.0.1:" + epmd.port() + "   % a system epmd on port 4369 is left alone";
    }

    private String makeCertificates() throws IOException {
        dir = Files.createTempDirectory("jdist-demo-");
        NodeCertificate ca = NodeCertificate.builder().commonName("jdist demo CA").authority().build();
        NodeCertificate node = NodeCertificate.builder().commonName("jdist demo node").signedBy(ca)
                .dnsName(host).dnsName("localhost").ipAddress("127.0.0.1").build();
        ca.writeCertificateTo(caFile());
        node.writeTo(certFile(), keyFile());
        return dir + ": ca.pem, node.pem and node.key (for " + host + ", localhost and 127.0.0.1)";
    }

    private void javaPart() {
        narration.heading("1. Two Java nodes, chip and dale, over mutual TLS");
        Walkthrough walk = new Walkthrough(CHIP + "@" + host);
        Map<String, String> tls = Map.of("certFile", certFile().toString(), "keyFile", keyFile().toString(),
                "caFile", caFile().toString());
        List<Narration.Step> steps = new ArrayList<>();
        steps.add(new Narration.Step("start chip and dale on the tls carrier, with node.pem, node.key and ca.pem", () -> {
            walk.chip = new JavaChip(startNode(CHIP, "tls", tls));
            walk.dale = startNode(DALE, "tls", tls);
            return walk.chip.name() + " and " + walk.dale.name() + " are up";
        }));
        steps.addAll(walk.steps());
        narration.run(steps);
        stopPart();
    }

    private void erlangPart(String title, boolean tls) {
        narration.heading(title);
        Walkthrough walk = new Walkthrough(CHIP + "@" + host);
        Path optFile = dir.resolve("ssl_dist.conf");
        List<Narration.Step> steps = new ArrayList<>();
        if (tls) {
            steps.add(new Narration.Step("write ssl_dist.conf, the optfile both nodes read", () -> {
                ErlangOptFile.write(optFile, certFile(), keyFile(), caFile());
                return optFile + "   % node.pem, node.key, ca.pem; verify_peer both ways";
            }));
        }
        List<String> proto = tls ? List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString()) : List.of();
        steps.add(new Narration.Step("start erl -sname chip" + (tls ? " -proto_dist inet_tls -ssl_dist_optfile ssl_dist.conf" : "")
                + ", which registers my_iex", () -> {
                    ErlNode node = startErl(proto);
                    walk.chip = new ErlangChip(node);
                    return node.name() + " is up: OTP " + node.otpRelease() + ", OS pid " + node.pid();
                }));
        steps.add(new Narration.Step("start dale on the " + (tls ? "tls carrier with -Ddist.tls.optFile=ssl_dist.conf"
                : "tcp carrier"), () -> {
                    walk.dale = startNode(DALE, tls ? "tls" : "tcp",
                            tls ? Map.of("optFile", optFile.toString()) : Map.of());
                    return walk.dale.name() + " is up";
                }));
        steps.addAll(walk.steps());
        narration.run(steps);
        stopPart();
    }

    private Node startNode(String sname, String carrier, Map<String, String> settings) throws IOException {
        NodeConfig.Builder config = NodeConfig.builder().sname(sname).cookie(cookie).carrier(carrier)
                .epmdPort(epmd.port()).bindAddress(InetAddress.getLoopbackAddress());
        settings.forEach(config::carrierSetting);
        Node node = Node.start(config.build());
        running.push(node);
        return node;
    }

    private ErlNode startErl(List<String> arguments) throws IOException, InterruptedException {
        ErlNode node;
        synchronized (erlNodes) {
            if (interrupted) {
                throw new IllegalStateException("the demo was interrupted");
            }
            node = ErlNode.builder(erl.orElseThrow(), CHIP).cookie(cookie).epmdPort(epmd.port())
                    .workingDir(dir).arguments(arguments).program(ErlangChip.PROGRAM).start();
            erlNodes.add(node);
        }
        running.push(node);
        node.awaitReady(ERL_START_TIMEOUT);
        String expected = CHIP + "@" + host;
        if (!node.name().equals(expected)) {
            throw new IllegalStateException("erl calls itself " + node.name() + " but jdist's nodes expect "
                    + expected + "; the host names differ");
        }
        return node;
    }

    /** Stops the part's nodes, and waits until EPMD has let go of their names for the next part. */
    private void stopPart() {
        while (running.peek() != null && running.peek() != epmd) {
            close(running.pop());
        }
        long deadline = System.nanoTime() + Walkthrough.WAIT.toNanos();
        while (epmd.server().map(s -> !s.registrations().isEmpty()).orElse(false) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stopAll() {
        while (!running.isEmpty()) {
            close(running.pop());
        }
    }

    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // Node, ErlNode and the lease do not throw on close; nothing else is pushed.
        }
    }

    /** Checks that every erl is gone and removes the directory; says what was done. */
    private String cleanUp() {
        for (ErlNode node : List.copyOf(erlNodes)) {
            if (node.isAlive()) {
                narration.failure("erl (OS pid " + node.pid() + ") did not stop");
            }
        }
        String stopped = "Everything the demo started is stopped";
        if (dir == null) {
            return stopped + ".";
        }
        if (keep) {
            return stopped + "; kept " + dir + " (--keep).";
        }
        try {
            deleteDirectory();
            return stopped + ", and " + dir + " is removed.";
        } catch (UncheckedIOException e) {
            narration.failure("cannot remove " + dir + ": " + Narration.message(e));
            return stopped + ".";
        }
    }

    /**
     * Removes the directory. Synchronized because the shutdown hook and the main thread may both
     * get here at once when the demo is interrupted: unserialized, one walk fails on a file the
     * other has just deleted, and the JVM may halt before the other walk ends.
     */
    private synchronized void deleteDirectory() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomCookie() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "demo-" + HexFormat.of().formatHex(bytes);
    }

    private Path caFile() {
        return dir.resolve("ca.pem");
    }

    private Path certFile() {
        return dir.resolve("node.pem");
    }

    private Path keyFile() {
        return dir.resolve("node.key");
    }
}
