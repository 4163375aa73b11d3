package io.jdist.transport.tls;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import io.jdist.testing.ErlangNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Measures {@code tls} beside {@code tcp} in one run, Java to Java on loopback: small messages one
 * way, round trips, 64 KiB binaries, and connect (handshake) time; and the time of a TLS 1.3
 * distribution connect between two {@code erl} nodes and from Java to {@code erl}. Not a test: it
 * asserts nothing and is run by name,
 * {@code mvn -o -B -q -P '!bench' -pl transport-tls -am verify -Dtest=CarrierMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false}, printing a table. Numbers from a shared machine are
 * indications, not benchmarks.
 */
class CarrierMeasurement extends TlsNodeTestBase {

    private static final int SMALL = 200_000;
    private static final int ROUND_TRIPS = 10_000;
    private static final int BIG = 4_096;
    private static final int CONNECTS = 30;
    private static final Atom SEQ = Atom.of("seq");

    private record Result(String carrier, double smallPerSecond, double roundTripMicros, double bigMegabytesPerSecond,
            double connectMillis) {
    }

    @Test
    void measure() throws Exception {
        TlsTestFiles files = TlsTestFiles.create(dir.resolve("pki"));
        List<Result> results = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            // The first round warms the JIT up; only the second is reported.
            results.clear();
            results.add(measure("tcp", "tcp", Map.of()));
            results.add(measure("tls openssl", "tls", with(files.settings(), "provider", "openssl")));
            results.add(measure("tls jdk", "tls", with(files.settings(), "provider", "jdk")));
        }
        StringBuilder out = new StringBuilder("\ncarrier       small msg/s   round trip µs   64 KiB MB/s   connect ms\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%-12s %12.0f %15.1f %13.0f %12.2f%n", r.carrier(), r.smallPerSecond(),
                    r.roundTripMicros(), r.bigMegabytesPerSecond(), r.connectMillis()));
        }
        out.append(erlangConnects(files));
        System.out.println(out);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private Result measure(String label, String carrier, Map<String, String> settings) throws Exception {
        Node a = start("a", carrier, settings, UnaryOperator.identity());
        Node b = start("b", carrier, settings, UnaryOperator.identity());
        Mailbox from = a.createMailbox("from");
        Mailbox sink = b.createMailbox("sink");
        if (!a.connect(b.name())) {
            throw new AssertionError("no connection over " + label);
        }

        Binary payload = Binary.of(new byte[16]);
        long t0 = System.nanoTime();
        for (int i = 0; i < SMALL; i++) {
            from.send("sink", b.name(), Tuple.of(SEQ, Int.of(i), payload));
        }
        drain(sink, SMALL);
        double small = SMALL / ((System.nanoTime() - t0) / 1e9);

        Thread echo = new Thread(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    Term m = sink.receive(Duration.ofSeconds(10)).orElseThrow();
                    sink.send("from", a.name(), m);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        echo.start();
        long t1 = System.nanoTime();
        for (int i = 0; i < ROUND_TRIPS; i++) {
            from.send("sink", b.name(), Int.of(i));
            from.receive(Duration.ofSeconds(10)).orElseThrow();
        }
        double roundTrip = (System.nanoTime() - t1) / 1e3 / ROUND_TRIPS;
        echo.join();

        Binary big = Binary.of(new byte[64 * 1024]);
        long t2 = System.nanoTime();
        for (int i = 0; i < BIG; i++) {
            from.send("sink", b.name(), big);
        }
        drain(sink, BIG);
        double megabytes = BIG * 64.0 * 1024 / 1e6 / ((System.nanoTime() - t2) / 1e9);

        long connecting = 0;
        for (int i = 0; i < CONNECTS; i++) {
            a.disconnect(b.name());
            eventually("disconnected", () -> b.nodes().isEmpty());
            long t3 = System.nanoTime();
            if (!a.connect(b.name())) {
                throw new AssertionError("reconnect failed over " + label);
            }
            connecting += System.nanoTime() - t3;
        }
        a.close();
        b.close();
        return new Result(label, small, roundTrip, megabytes, connecting / 1e6 / CONNECTS);
    }

    private static void drain(Mailbox sink, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            sink.receive(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("a message went missing"));
        }
    }

    /** Mean connect time, TLS 1.3 on inet_tls_dist: erl to erl, and Java to erl. */
    private String erlangConnects(TlsTestFiles files) throws Exception {
        java.nio.file.Path optFile = files.erlangOptFile(List.of("tlsv1.3"));
        List<String> args = List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString());
        try (ErlangNode x = ErlangNode.builder("x_" + System.nanoTime() % 100000).cookie(cookie).epmdPort(epmd.port())
                .workingDir(dir.resolve("x")).arguments(args).start();
                ErlangNode y = ErlangNode.builder("y_" + System.nanoTime() % 100000).cookie(cookie)
                        .epmdPort(epmd.port()).workingDir(dir.resolve("y")).arguments(args).start()) {
            String target = ErlangNode.atom(y.name());
            Term micros = x.eval("lists:sum([begin {T, true} = timer:tc(net_kernel, connect_node, [" + target
                    + "]), erlang:disconnect_node(" + target + "), timer:sleep(50), T end || _ <- lists:seq(1, "
                    + CONNECTS + ")]) div " + CONNECTS, Duration.ofSeconds(60));
            Node java = start("j", "tls", with(files.settings(), "protocols", "TLSv1.3"), UnaryOperator.identity());
            long connecting = 0;
            for (int i = 0; i < CONNECTS; i++) {
                long t = System.nanoTime();
                if (!java.connect(y.name())) {
                    throw new AssertionError("java could not connect to erl");
                }
                connecting += System.nanoTime() - t;
                java.disconnect(y.name());
                Thread.sleep(50);
            }
            return String.format(Locale.ROOT, "TLS 1.3 connect, erl -> erl: %.2f ms; java (openssl) -> erl: %.2f ms%n",
                    ((Int) micros).value() / 1e3, connecting / 1e6 / CONNECTS);
        }
    }
}
