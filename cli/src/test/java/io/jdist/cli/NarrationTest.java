package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step prints what is done, then what happened; a failed step says why, with what jdist logged,
 * and the steps after it in its part are skipped; the summary and exit status follow.
 */
class NarrationTest {

    private final StringWriter out = new StringWriter();
    private final List<String> logged = new ArrayList<>();
    private final Narration narration = new Narration(new PrintWriter(out), false, () -> {
        List<String> drained = List.copyOf(logged);
        logged.clear();
        return drained;
    });

    @Test
    void stepsThatWorkPrintTheirActionAndResultAndExitZero() {
        narration.heading("1. A part");
        boolean worked = narration.run(List.of(
                new Narration.Step("dale> nodes().", () -> "['chip@vm']"),
                new Narration.Step("chip stops", () -> "dale> flush().\n{'DOWN', ref}")));

        int status = narration.summary("Everything is stopped.");

        assertEquals(true, worked);
        assertEquals(0, status);
        assertEquals("""

                1. A part
                  dale> nodes().
                        ['chip@vm']
                  chip stops
                        dale> flush().
                        {'DOWN', ref}

                All 2 steps worked. Everything is stopped.
                """, out.toString());
    }

    @Test
    void aFailedStepSaysWhyShowsTheWarningsAndSkipsTheStepsThatBuildOnIt() {
        List<String> ran = new ArrayList<>();
        narration.heading("2. Another part");
        logged.add("io.jdist.node: logged before the part, not shown");
        boolean worked = narration.run(List.of(
                new Narration.Step("start", () -> {
                    ran.add("start");
                    return "up";
                }),
                new Narration.Step("dale> net_kernel:connect_node(chip@vm).", () -> {
                    logged.add("io.jdist.handshake: chip@vm refused the handshake: wrong cookie");
                    throw new IllegalStateException("false: dale could not connect to chip@vm");
                }),
                new Narration.Step(() -> "never printed", () -> {
                    ran.add("after");
                    return "";
                }),
                new Narration.Step("nor this", () -> "")));
        narration.heading("3. A part after it");
        narration.run(List.of(new Narration.Step("still runs", () -> "yes")));

        int status = narration.summary("Everything is stopped.");

        assertEquals(false, worked);
        assertEquals(List.of("start"), ran);
        assertEquals(1, status);
        assertEquals("""

                2. Another part
                  start
                        up
                  dale> net_kernel:connect_node(chip@vm).
                        FAILED: false: dale could not connect to chip@vm
                          jdist logged: io.jdist.handshake: chip@vm refused the handshake: wrong cookie
                        (the 2 steps after it in this part build on it and are skipped)

                3. A part after it
                  still runs
                        yes

                1 of 5 steps FAILED, 2 skipped after them:
                  2. Another part: dale> net_kernel:connect_node(chip@vm).: false: dale could not connect to chip@vm
                Everything is stopped.
                """, out.toString());
    }

    @Test
    void theMessageIsTheMostSpecificFirstLine() {
        Exception wrapped = new RuntimeException(null, new java.io.IOException("erl exited\nwith more lines"));

        assertEquals("erl exited", Narration.message(wrapped));
    }
}
