package io.jdist.bench;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.term.Pid;
import io.jdist.term.Tuple;
import io.jdist.transport.tls.ErlangOptFile;
import io.jdist.transport.tls.NodeCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Measures message passing between real nodes: two jdist nodes (in this one JVM) and two {@code
 * erl} nodes, all on loopback and registered in an EPMD embedded in the first Java node, on a free
 * port. For each pair (Java to Erlang, Erlang to Java, Java to Java, and Erlang to Erlang as the
 * yardstick) it measures small messages per second one way, ping-pong round-trip latency, and the
 * throughput of 64 KiB binaries one way, then prints a Markdown table. See {@code
 * bench/README.md}.
 *
 * <p>Every process and node it starts is stopped at the end, also on failure or Ctrl-C.
 */
public final class NodeBench implements AutoCloseable {

    private static final String USAGE = """
            usage: NodeBench [--messages N] [--binaries N] [--roundtrips N] [--connects N] [--runs N]
                             [--warmup SECONDS] [--pairs LIST] [--out FILE]
              --messages N      small messages per throughput run (default 200000)
              --binaries N      64 KiB binaries per throughput run (default 4000)
              --roundtrips N    ping-pong round trips per latency run (default 20000)
              --connects N      fresh connections timed, after the other measurements (default 20)
              --runs N          runs of each measurement; the median is reported (default 3)
              --warmup SECONDS  warm-up before each measurement, in runs a tenth the size (default 3)
              --pairs LIST      some of java-erlang,erlang-java,java-java,erlang-erlang,java-java-unix,
                                java-java-tls,java-java-tls-jdk,erlang-erlang-tls (default all): two
                                more Java nodes on the unix carrier, two on mutual TLS with OpenSSL
                                and with the JDK's provider, and two erl -proto_dist inet_tls
              --out FILE        also write the Markdown report to FILE""";

    /** jdist logs connections at INFO; the report is what matters here. Held so the setting stays. */
    private static final Logger JDIST_LOGS = Logger.getLogger("io.jdist");

    /** The run's settings, from the command line. */
    record Options(int messages, int binaries, int roundTrips, int connects, int runs, Duration warmup,
            Set<String> pairs, Path out) {

        static final List<String> PAIRS = List.of("java-erlang", "erlang-java", "java-java", "erlang-erlang",
                "java-java-unix", "java-java-tls", "java-java-tls-jdk", "erlang-erlang-tls");

        /** The options, or {@code null} when help was asked for. */
        static Options parse(String[] args) {
            int messages = 200_000;
            int binaries = 4_000;
            int roundTrips = 20_000;
            int connects = 20;
            int runs = 3;
            double warmup = 3;
            Set<String> pairs = new LinkedHashSet<>(PAIRS);
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("-h") || option.equals("--help")) {
                    return null;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected a value after " + option);
                }
                String value = args[++i];
                switch (option) {
                    case "--messages" -> messages = positive(option, value);
                    case "--binaries" -> binaries = positive(option, value);
                    case "--roundtrips" -> roundTrips = positive(option, value);
                    case "--connects" -> connects = positive(option, value);
                    case "--runs" -> runs = positive(option, value);
                    case "--warmup" -> {
                        try {
                            warmup = Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            warmup = -1;
                        }
                        if (!(warmup >= 0)) {
                            throw new IllegalArgumentException("expected seconds of at least 0 for --warmup but was '"
                                    + value + "'");
                        }
                    }
                    case "--pairs" -> {
                        pairs = new LinkedHashSet<>(List.of(value.split(",")));
                        if (pairs.isEmpty() || !PAIRS.containsAll(pairs)) {
                            throw new IllegalArgumentException("expected --pairs to be some of " + String.join(",", PAIRS)
                                    + " but was '" + value + "'");
                        }
                    }
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            return new Options(messages, binaries, roundTrips, connects, runs, Duration.ofMillis((long) (warmup * 1000)),
                    pairs, out);
        }

        /**
         * {@code value} as a positive integer, {@code _} allowed between digits.
         *
         * @throws IllegalArgumentException naming {@code option} when it is not one
         */
        static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value.replace("_", ""));
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("expected a positive integer for " + option + " but was '" + value + "'");
        }

        String describe() {
            return String.format(Locale.ROOT, "per throughput run %,d small messages ({seq, I, <<16 bytes>>}) or"
                    + " %,d binaries of 64 KiB; per latency run %,d round trips ({ping, From, I} and {pong, I});"
                    + " median of %d runs; %s s of warm-up before each measurement; connect: the median of %d fresh"
                    + " connections, each %d ms after the last was dropped", messages, binaries, roundTrips, runs,
                    warmup.toMillis() / 1000.0, connects, Endpoint.SETTLE.toMillis());
        }
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Options options;
    /** What was started, to be closed newest first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path dir;
    private boolean closed;

    private NodeBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        JDIST_LOGS.setLevel(Level.WARNING);
        NodeBench bench = new NodeBench(options);
        Thread cleanup = new Thread(bench::close, "node-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        int status = 0;
        try {
            String report = bench.run();
            System.out.println();
            System.out.print(report);
            if (options.out() != null) {
                Files.writeString(options.out(), report, StandardCharsets.UTF_8);
                System.err.println("report written to " + options.out());
            }
        } catch (BenchException | IOException e) {
            System.err.println("node bench failed: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            System.err.println("node bench failed: " + e);
            e.printStackTrace();
            status = 1;
        } catch (InterruptedException e) {
            System.err.println("node bench interrupted");
            status = 1;
        }
        bench.close(status == 0);
        Runtime.getRuntime().removeShutdownHook(cleanup);
        System.exit(status);
    }

    private String run() throws IOException, BenchException, InterruptedException {
        dir = Files.createTempDirectory("jdist-node-bench-");
        int epmdPort = freeLoopbackPort();
        String cookie = randomCookie();
        String id = Long.toString(ProcessHandle.current().pid());
        progress("EPMD on 127.0.0.1:" + epmdPort + ", work directory " + dir);

        // The first node finds no EPMD on the port and starts the embedded one.
        Node a = startJava("jbench_a_" + id, cookie, epmdPort);
        Node b = startJava("jbench_b_" + id, cookie, epmdPort);
        ErlangPeer.compile(dir);
        ErlangPeer x = erl("ebench_x_" + id + "@127.0.0.1", cookie, epmdPort);
        ErlangPeer y = erl("ebench_y_" + id + "@127.0.0.1", cookie, epmdPort);
        x.awaitReady(Duration.ofSeconds(60));
        y.awaitReady(Duration.ofSeconds(60));

        Mailbox control = a.createMailbox();
        started.push(control);
        ErlangEndpoint erlX = new ErlangEndpoint(x.name(), control, a::makeRef);
        ErlangEndpoint erlY = new ErlangEndpoint(y.name(), control, a::makeRef);
        Tuple info = erlX.info(Duration.ofSeconds(15));
        erlY.info(Duration.ofSeconds(15));
        JavaEndpoint javaA = new JavaEndpoint(a);
        started.push(javaA);
        JavaEndpoint javaB = new JavaEndpoint(b);
        started.push(javaB);
        if (!a.connect(b.name())) {
            throw new BenchException(a.name() + " cannot connect to " + b.name());
        }
        erlX.connect(erlY.node());

        String otp = String.format(Locale.ROOT, "OTP %s (erts %s), %s schedulers per node", text(info.get(0)),
                text(info.get(1)), info.get(2));
        progress("nodes up: " + a.name() + ", " + b.name() + ", " + x.name() + ", " + y.name() + "; " + otp);
        NodeBenchReport report = new NodeBenchReport(options.describe(), otp);
        if (options.pairs().contains("java-erlang")) {
            report.add(measure("Java → Erlang", javaA, erlX));
        }
        if (options.pairs().contains("erlang-java")) {
            report.add(measure("Erlang → Java", erlX, javaA));
        }
        if (options.pairs().contains("java-java")) {
            report.add(measure("Java ↔ Java", javaA, javaB));
        }
        if (options.pairs().contains("erlang-erlang")) {
            report.add(measure("Erlang ↔ Erlang", erlX, erlY));
        }
        if (options.pairs().contains("java-java-unix")) {
            // The same two-node measurement on the unix carrier: a socket directory, no EPMD.
            report.add(measureJavaPair("Java ↔ Java, unix", "unix", Map.of("dir", dir.resolve("s").toString()), cookie,
                    epmdPort, id));
        }
        Map<String, String> tls = options.pairs().stream().anyMatch(p -> p.contains("tls")) ? tlsFiles() : Map.of();
        if (options.pairs().contains("java-java-tls")) {
            report.add(measureJavaPair("Java ↔ Java, tls (OpenSSL)", "tls", with(tls, "provider", "openssl"), cookie,
                    epmdPort, id));
        }
        if (options.pairs().contains("java-java-tls-jdk")) {
            report.add(measureJavaPair("Java ↔ Java, tls (JDK)", "tls", with(tls, "provider", "jdk"), cookie, epmdPort,
                    id));
        }
        if (options.pairs().contains("erlang-erlang-tls")) {
            // Two erl -proto_dist inet_tls nodes, driven from a Java node on tls: the yardstick for the tls pairs.
            Node controller = startJava("jbench_tlsctl_" + id, cookie, epmdPort, "tls", tls);
            Mailbox tlsControl = controller.createMailbox();
            started.push(tlsControl);
            List<String> inetTls = List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", erlangOptFile(tls).toString());
            ErlangPeer v = erl("ebench_tls_v_" + id + "@127.0.0.1", cookie, epmdPort, inetTls);
            ErlangPeer w = erl("ebench_tls_w_" + id + "@127.0.0.1", cookie, epmdPort, inetTls);
            v.awaitReady(Duration.ofSeconds(60));
            w.awaitReady(Duration.ofSeconds(60));
            ErlangEndpoint erlV = new ErlangEndpoint(v.name(), tlsControl, controller::makeRef);
            ErlangEndpoint erlW = new ErlangEndpoint(w.name(), tlsControl, controller::makeRef);
            erlV.connect(erlW.node());
            report.add(measure("Erlang ↔ Erlang, tls", erlV, erlW));
        }
        return report.markdown();
    }

    /** All four measurements from {@code from}'s processes to {@code to}'s. */
    private NodeBenchReport.Row measure(String pair, Endpoint from, Endpoint to)
            throws BenchException, InterruptedException {
        Pid sink = to.sink();
        Pid echo = to.echo();
        double messages = throughput(pair, from, sink, Endpoint.Payload.SMALL, options.messages());
        double binaries = throughput(pair, from, sink, Endpoint.Payload.BINARY, options.binaries());
        double[] latency = latency(pair, from, echo);
        double connect = connectTime(pair, from, to);
        return new NodeBenchReport.Row(pair, messages, latency[0], latency[1],
                binaries * Endpoint.Payload.BINARY.bytes / 1e6, connect);
    }

    /** The median time, in milliseconds, of {@code from}'s node setting up a connection to {@code to}'s. */
    private double connectTime(String pair, Endpoint from, Endpoint to) throws BenchException, InterruptedException {
        warmUp(() -> from.connect(to.node(), Math.max(1, options.connects() / 10)));
        long[] times = from.connect(to.node(), options.connects());
        double p50 = NodeBenchReport.percentile(times, 50) / 1e6;
        progress(String.format(Locale.ROOT, "%-16s connect p50 %.2f ms (fastest %.2f, slowest %.2f)", pair, p50,
                times[0] / 1e6, times[times.length - 1] / 1e6));
        return p50;
    }

    /**
     * The medians of the runs' 50th and 99th percentile round trips, in microseconds, after warming
     * up. Medians of runs rather than percentiles of all round trips together, so that one run that
     * other processes starved of CPU does not decide the 99th percentile.
     */
    private double[] latency(String pair, Endpoint from, Pid echo) throws BenchException, InterruptedException {
        int warmupTrips = Math.max(1, options.roundTrips() / 10);
        warmUp(() -> from.ping(echo, warmupTrips));
        double[] p50 = new double[options.runs()];
        double[] p99 = new double[options.runs()];
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < options.runs(); i++) {
            long[] times = from.ping(echo, options.roundTrips());
            p50[i] = NodeBenchReport.percentile(times, 50) / 1e3;
            p99[i] = NodeBenchReport.percentile(times, 99) / 1e3;
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f/%.1f", p50[i], p99[i]));
        }
        double[] medians = {NodeBenchReport.median(p50), NodeBenchReport.median(p99)};
        progress(String.format(Locale.ROOT, "%-16s round trip p50 %.1f µs, p99 %.1f µs (runs p50/p99: %s)", pair,
                medians[0], medians[1], each));
        return medians;
    }

    /** The median of the runs' messages per second, after warming up. */
    private double throughput(String pair, Endpoint from, Pid sink, Endpoint.Payload payload, int count)
            throws BenchException, InterruptedException {
        int warmupCount = Math.max(1, count / 10);
        warmUp(() -> from.send(sink, payload, warmupCount));
        double[] rates = new double[options.runs()];
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < rates.length; i++) {
            rates[i] = count / (from.send(sink, payload, count) / 1e9);
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", rates[i]));
        }
        double median = NodeBenchReport.median(rates);
        progress(String.format(Locale.ROOT, "%-16s %-6s %,.0f msgs/s, %,.0f MB/s (runs: %s msgs/s)", pair,
                payload.name().toLowerCase(Locale.ROOT), median, median * payload.bytes / 1e6, each));
        return median;
    }

    private interface Round {
        void run() throws BenchException, InterruptedException;
    }

    /** Repeats {@code round} for the warm-up time, at least once. */
    private void warmUp(Round round) throws BenchException, InterruptedException {
        long end = System.nanoTime() + options.warmup().toNanos();
        do {
            round.run();
        } while (System.nanoTime() < end);
    }

    private Node startJava(String alive, String cookie, int epmdPort) throws IOException {
        return startJava(alive, cookie, epmdPort, "tcp", Map.of());
    }

    private Node startJava(String alive, String cookie, int epmdPort, String carrier, Map<String, String> settings)
            throws IOException {
        NodeConfig.Builder config = NodeConfig.builder().name(alive + "@127.0.0.1").cookie(cookie).epmdPort(epmdPort)
                .bindAddress(InetAddress.getLoopbackAddress()).carrier(carrier);
        settings.forEach(config::carrierSetting);
        Node node = Node.start(config.build());
        started.push(node);
        return node;
    }

    /**
     * Starts two more Java nodes on {@code carrier}, connects them and measures them. The nodes'
     * names say the carrier and provider, so that several such pairs share the EPMD.
     */
    private NodeBenchReport.Row measureJavaPair(String pair, String carrier, Map<String, String> settings, String cookie,
            int epmdPort, String id) throws IOException, BenchException, InterruptedException {
        String prefix = "jbench_" + carrier + settings.getOrDefault("provider", "") + "_";
        Node c = startJava(prefix + "c_" + id, cookie, epmdPort, carrier, settings);
        Node d = startJava(prefix + "d_" + id, cookie, epmdPort, carrier, settings);
        JavaEndpoint javaC = new JavaEndpoint(c);
        started.push(javaC);
        JavaEndpoint javaD = new JavaEndpoint(d);
        started.push(javaD);
        if (!c.connect(d.name())) {
            throw new BenchException(c.name() + " cannot connect to " + d.name() + " over " + carrier);
        }
        return measure(pair, javaC, javaD);
    }

    /**
     * A fresh CA and one certificate for every node on 127.0.0.1, in the work directory: the tls
     * carrier's settings. The address is a DNS name too, which {@code erl} checks (certs/README.md).
     */
    private Map<String, String> tlsFiles() throws IOException {
        NodeCertificate ca = NodeCertificate.builder().commonName("jdist bench CA").authority().build();
        NodeCertificate node = NodeCertificate.builder().commonName("jdist bench node").signedBy(ca)
                .ipAddress("127.0.0.1").dnsName("127.0.0.1").build();
        Path caFile = dir.resolve("ca.pem");
        Path certFile = dir.resolve("node.pem");
        Path keyFile = dir.resolve("node.key");
        ca.writeCertificateTo(caFile);
        node.writeTo(certFile, keyFile);
        return Map.of("caFile", caFile.toString(), "certFile", certFile.toString(), "keyFile", keyFile.toString());
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> more = new HashMap<>(settings);
        more.put(key, value);
        return more;
    }

    /**
     * The {@code ssl_dist_optfile} for the {@code erl} TLS pair: the same files as the Java nodes',
     * mutual TLS both ways, TLS 1.3 and 1.2.
     */
    private Path erlangOptFile(Map<String, String> tls) throws IOException {
        Path optFile = dir.resolve("ssl_dist.conf");
        ErlangOptFile.write(optFile, Path.of(tls.get("certFile")), Path.of(tls.get("keyFile")),
                Path.of(tls.get("caFile")));
        return optFile;
    }

    private ErlangPeer erl(String name, String cookie, int epmdPort) throws IOException {
        return erl(name, cookie, epmdPort, List.of());
    }

    private ErlangPeer erl(String name, String cookie, int epmdPort, List<String> distribution) throws IOException {
        ErlangPeer peer = ErlangPeer.start(name, cookie, epmdPort, dir, distribution);
        started.push(peer);
        return peer;
    }

    /** Closes {@code resource}, giving up on it after a while so that a stuck node cannot hang the exit. */
    private static void stop(AutoCloseable resource) {
        Thread closer = new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("while stopping " + resource + ": " + e);
            }
        }, "node-bench-stop");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            System.err.println(resource + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s; leaving it to the exit");
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A cookie for this run only, as {@code erl} makes them: 20 uppercase letters. */
    private static String randomCookie() {
        SecureRandom random = new SecureRandom();
        StringBuilder cookie = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cookie.append((char) ('A' + random.nextInt(26)));
        }
        return cookie.toString();
    }

    private static String text(io.jdist.term.Term term) {
        return term instanceof io.jdist.term.Binary b ? b.utf8() : String.valueOf(term);
    }

    private static void progress(String line) {
        System.err.println(line);
    }

    /** Stops everything started, newest first, and removes the work directory. Idempotent. */
    @Override
    public void close() {
        close(true);
    }

    /** As {@link #close()}, keeping the work directory (with the erl logs) when {@code removeDir} is false. */
    private synchronized void close(boolean removeDir) {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            stop(started.pop());
        }
        if (dir == null) {
            return;
        }
        if (!removeDir) {
            System.err.println("erl logs kept in " + dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
