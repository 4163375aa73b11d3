package io.jdist.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The floor under the node benchmark's round trips: two threads of one JVM play ping-pong with a
 * 48-byte message over a blocking loopback TCP connection ({@code TCP_NODELAY}) and over a
 * blocking Unix-domain socket, with no framing, no codec and no event loop. Each round trip wakes
 * one thread per direction, against three per direction for a message between two jdist nodes
 * (sender to event loop, event loop to event loop through the kernel, event loop to the receiving
 * thread). The two kinds alternate, so that both see the same moments of a shared machine.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.jdist.bench.SocketRoundTrip [--roundtrips N]
 * [--runs N]}
 */
public final class SocketRoundTrip {

    private static final int MESSAGE_BYTES = 48;

    private SocketRoundTrip() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int roundTrips = 20_000;
        int runs = 5;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--roundtrips" -> roundTrips = NodeBench.Options.positive(args[i], value);
                    case "--runs" -> runs = NodeBench.Options.positive(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: SocketRoundTrip [--roundtrips N] [--runs N]");
            System.exit(2);
        }
        double[] tcp = new double[runs];
        double[] unix = new double[runs];
        int warmUp = Math.max(1, roundTrips / 10);
        pingPong(false, warmUp);
        pingPong(true, warmUp);
        for (int run = 0; run < runs; run++) {
            tcp[run] = pingPong(false, roundTrips);
            unix[run] = pingPong(true, roundTrips);
            System.err.printf(Locale.ROOT, "run %d: tcp p50 %.1f µs, unix p50 %.1f µs%n", run + 1, tcp[run], unix[run]);
        }
        double tcpMedian = NodeBenchReport.median(tcp);
        double unixMedian = NodeBenchReport.median(unix);
        System.out.printf(Locale.ROOT, "blocking socket round trip p50, median of %d runs of %,d: tcp %.1f µs,"
                + " unix %.1f µs, unix ÷ tcp %.2f%n", runs, roundTrips, tcpMedian, unixMedian, unixMedian / tcpMedian);
    }

    /** One run: the p50 of {@code count} round trips, in microseconds. */
    private static double pingPong(boolean unix, int count) throws IOException, InterruptedException {
        Path dir = unix ? Files.createTempDirectory("jdist-rtt-") : null;
        try (ServerSocketChannel server = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open()) {
            server.bind(unix ? UnixDomainSocketAddress.of(dir.resolve("s"))
                    : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketAddress address = server.getLocalAddress();
            Thread echo = new Thread(() -> echo(server), "echo");
            echo.start();
            long[] times = new long[count];
            try (SocketChannel client = SocketChannel.open(address)) {
                if (!unix) {
                    client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE_BYTES);
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        if (client.read(buffer) < 0) {
                            throw new IOException("the echo closed the connection");
                        }
                    }
                    times[i] = System.nanoTime() - start;
                }
            }
            echo.join();
            return NodeBenchReport.percentile(times, 50) / 1e3;
        } finally {
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("s"));
                Files.delete(dir);
            }
        }
    }

    /** Echoes one connection's bytes until the client closes it. */
    private static void echo(ServerSocketChannel server) {
        try (SocketChannel connection = server.accept()) {
            if (connection.getLocalAddress() instanceof InetSocketAddress) {
                connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE_BYTES);
            while (true) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    if (connection.read(buffer) < 0) {
                        return;
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    connection.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
