package io.jdist.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code jdist} in this JVM with its output captured, as a person would see it. */
final class InProcess {

    private InProcess() {
    }

    /** What one run printed and returned. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Jdist.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args);
        return new Result(status, out.toString(), err.toString());
    }
}
