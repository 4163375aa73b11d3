package io.jdist.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The results of one {@link NodeBench} run and the machine they were measured on, as Markdown. */
final class NodeBenchReport {

    /**
     * One pair's numbers: medians of the throughput runs, percentiles of the round trips, the
     * median connect.
     */
    record Row(String pair, double messagesPerSecond, double p50Micros, double p99Micros, double megabytesPerSecond,
            double connectMillis) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final String settings;
    private final String otp;
    private final ZonedDateTime date = ZonedDateTime.now(ZoneOffset.UTC);
    /** The machine's load when the measurements began: other work skews them. */
    private final String loadAtStart = loadAverage();

    NodeBenchReport(String settings, String otp) {
        this.settings = settings;
        this.otp = otp;
    }

    void add(Row row) {
        rows.add(row);
    }

    /** The value at percentile {@code p} (0-100) by the nearest-rank rule; sorts {@code values}. */
    static long percentile(long[] values, double p) {
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100 * values.length);
        return values[Math.max(0, rank - 1)];
    }

    /** The median of {@code values}; sorts them. */
    static double median(double[] values) {
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("jdist node benchmark, ").append(date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("\n\n");
        out.append("- machine: ").append(cpuModel()).append(", nproc ").append(Runtime.getRuntime().availableProcessors())
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", load average ").append(loadAtStart).append(" at the start and ").append(loadAverage())
                .append(" at the end\n");
        out.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append("), both Java nodes in one JVM\n");
        out.append("- Erlang: ").append(otp).append('\n');
        out.append("- ").append(settings).append("\n\n");
        out.append("| pair | small msgs/s | round trip p50 µs | round trip p99 µs | 64 KiB binaries MB/s | connect ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f | %,.0f | %.2f |%n", row.pair(),
                    row.messagesPerSecond(), row.p50Micros(), row.p99Micros(), row.megabytesPerSecond(),
                    row.connectMillis()));
        }
        return out.toString();
    }

    /** The 1-minute load average from {@code /proc/loadavg}, or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or the JVM's architecture. */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
