package io.jdist.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tells the demo's story as it happens: a heading per part, then each step as what is done (a
 * shell line such as {@code dale> nodes().}, or a sentence) and, indented below it, what happened,
 * or {@code FAILED:} and why. Counts the steps for the summary.
 */
final class Narration {

    /** Where results go: under the action, past the {@code "  dale> "} of a shell line. */
    private static final String INDENT = "        ";

    private final PrintWriter out;
    private final boolean verbose;
    private final Supplier<List<String>> logLines;
    private final List<String> failures = new ArrayList<>();
    private int worked;
    private int skipped;
    private String part = "";

    /**
     * @param logLines what jdist logged at warning level since the last call, shown under a failed
     *     step (a failed connection's cause is logged, not thrown)
     */
    Narration(PrintWriter out, boolean verbose, Supplier<List<String>> logLines) {
        this.out = out;
        this.verbose = verbose;
        this.logLines = logLines;
    }

    /**
     * One step: {@link #run} prints {@code action}, runs {@code body} and prints what it returns. The
     * action is made when the step runs, so it may name what earlier steps made.
     */
    record Step(Supplier<String> action, Body body) {

        Step(String action, Body body) {
            this(() -> action, body);
        }
    }

    /** What a step does; it returns what happened, in one or two lines, or throws why it failed. */
    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    void heading(String title) {
        part = title;
        out.println();
        out.println(title);
        out.flush();
    }

    /** A line of its own, not a step: what is skipped and why, say. */
    void note(String text) {
        out.println("  " + text);
        out.flush();
    }

    /**
     * Runs {@code steps} in order until one fails; the steps after a failure build on it and are
     * skipped.
     *
     * @return whether every step worked
     */
    boolean run(List<Step> steps) {
        logLines.get(); // what was logged before belongs to no step here
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String action = step.action().get();
            out.println("  " + action);
            out.flush();
            try {
                String result = step.body().run();
                worked++;
                result.lines().forEach(line -> out.println(INDENT + line));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                fail(action, e);
                int rest = steps.size() - i - 1;
                if (rest > 0) {
                    skipped += rest;
                    out.println(INDENT + "(the " + (rest == 1 ? "step" : rest + " steps") + " after it in this part"
                            + " build on it and are skipped)");
                }
                out.flush();
                return false;
            }
            out.flush();
        }
        return true;
    }

    private void fail(String action, Exception e) {
        String why = message(e);
        failures.add(part + ": " + action + ": " + why);
        out.println(INDENT + "FAILED: " + why);
        for (String line : logLines.get()) {
            out.println(INDENT + "  jdist logged: " + line);
        }
        if (verbose) {
            e.printStackTrace(out);
        }
    }

    /** Records a failure that is no step, such as a process that would not stop. */
    void failure(String what) {
        failures.add(what);
        out.println("  FAILED: " + what);
        out.flush();
    }

    /** Prints the summary; returns the exit status: 0 when every step worked. */
    int summary(String cleanup) {
        int total = worked + failures.size() + skipped;
        out.println();
        if (failures.isEmpty()) {
            out.println("All " + worked + " steps worked. " + cleanup);
        } else {
            out.println(failures.size() + " of " + total + " steps FAILED" + (skipped > 0 ? ", " + skipped
                    + " skipped after them" : "") + ":");
            failures.forEach(f -> out.println("  " + f));
            out.println(cleanup);
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    /** The most specific message of {@code e}: what a person needs, on one line. */
    static String message(Throwable e) {
        Throwable shown = e;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String text = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return text.lines().findFirst().orElse("");
    }
}
