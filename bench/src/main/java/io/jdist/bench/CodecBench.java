package io.jdist.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Optional;

/**
 * Runs {@link TermCodecBenchmark} and {@link BinaryCopyBenchmark} with JMH's command-line options,
 * then writes the results as CSV too and prints jdist against JInterface side by side.
 *
 * <p>Arguments are JMH's ({@code -f}, {@code -wi}, {@code -prof gc}, a benchmark regex, ...). JMH
 * writes the result file given by {@code -rff} in the format of {@code -rf}; this class writes the
 * same results as CSV to the path of the system property {@code jdist.bench.csv}, if set. Help and
 * listing options ({@code -h}, {@code -l}, ...) go straight to {@link org.openjdk.jmh.Main}.
 */
public final class CodecBench {

    private static final String[][] ROWS = {
        {"encode", "encodeJdist", "encodeJInterface"},
        {"decode", "decodeJdist", "decodeJInterface"},
        {"decode shared", "decodeJdistShared", "decodeJInterface"},
        // BinaryCopyBenchmark's bound, in the jdist column, beside JInterface's decode.
        {"copy only", "copyBinary", "decodeJInterface"},
    };

    /** The term of {@link BinaryCopyBenchmark}, which has no {@code term} parameter. */
    private static final String BINARY_TERM = SampleTerms.binary64k.name();

    private CodecBench() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include(TermCodecBenchmark.class.getName() + "\\.");
            Optional<Collection<String>> terms = cmd.getParameter("term");
            if (!terms.hasValue() || terms.get().contains(BINARY_TERM)) {
                options.include(BinaryCopyBenchmark.class.getName() + "\\.");
            }
        }
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            System.err.println("Benchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        String csv = System.getProperty("jdist.bench.csv");
        if (csv != null && !results.isEmpty()) {
            ResultFormatFactory.getInstance(ResultFormatType.CSV, csv).writeOut(results);
            System.out.println("CSV results written to " + csv);
        }
        printComparison(results, System.out);
    }

    /** One line per term and operation: jdist, JInterface, and how many times faster jdist is. */
    static void printComparison(Collection<RunResult> results, PrintStream out) {
        Map<String, RunResult> byKey = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String term = result.getParams().getParam("term");
            byKey.put((term == null ? BINARY_TERM : term) + "/" + method, result);
        }
        boolean gc = results.stream().anyMatch(r -> r.getSecondaryResults().containsKey("gc.alloc.rate.norm"));
        out.println();
        out.println("jdist vs JInterface (ops/s, higher is better; ratio = jdist / JInterface"
                + (gc ? "; B/op from -prof gc" : "") + ")");
        String header = String.format(Locale.ROOT, "%-10s %-14s %28s %28s %7s", "term", "operation", "jdist",
                "JInterface", "ratio");
        if (gc) {
            header += String.format(Locale.ROOT, " %12s %12s", "jdist B/op", "JI B/op");
        }
        out.println(header);
        for (SampleTerms term : SampleTerms.values()) {
            for (String[] row : ROWS) {
                RunResult jdist = byKey.get(term.name() + "/" + row[1]);
                RunResult jinterface = byKey.get(term.name() + "/" + row[2]);
                if (jdist == null && (jinterface == null || row[1].equals("copyBinary"))) {
                    continue;
                }
                String ratio = jdist != null && jinterface != null
                        ? String.format(Locale.ROOT, "%6.2fx", jdist.getPrimaryResult().getScore()
                                / jinterface.getPrimaryResult().getScore())
                        : "";
                String line = String.format(Locale.ROOT, "%-10s %-14s %28s %28s %7s", term.name(), row[0],
                        score(jdist), score(jinterface), ratio);
                if (gc) {
                    line += String.format(Locale.ROOT, " %12s %12s", allocation(jdist), allocation(jinterface));
                }
                out.println(line);
            }
        }
    }

    private static String score(RunResult result) {
        if (result == null) {
            return "-";
        }
        Result<?> primary = result.getPrimaryResult();
        double error = primary.getScoreError();
        return Double.isNaN(error)
                ? String.format(Locale.ROOT, "%,.0f", primary.getScore())
                : String.format(Locale.ROOT, "%,.0f ± %,.0f", primary.getScore(), error);
    }

    private static String allocation(RunResult result) {
        Result<?> norm = result == null ? null : result.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? "-" : String.format(Locale.ROOT, "%,.0f", norm.getScore());
    }
}
