package io.jdist.cli.shell;

import io.jdist.cli.shell.Shell.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The shell for scripts, when stdin is not a terminal: one command per line, exactly one result
 * line per command on stdout, nothing else there (no prompt, no banner; logs go to stderr). Blank
 * lines and lines starting with {@code %} are skipped without a result. It ends at the end of
 * input or after {@code quit}.
 */
public final class LineFrontEnd {

    private final Shell shell;
    private final BufferedReader in;
    private final PrintStream out;

    /** Reads commands from {@code in} and prints results to {@code out}, flushing after each. */
    public LineFrontEnd(Shell shell, BufferedReader in, PrintStream out) {
        this.shell = shell;
        this.in = in;
        this.out = out;
    }

    /** Runs commands until the input ends, {@code quit}, or stdout is closed. */
    public void run() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            Reply reply = shell.execute(line);
            if (reply.line() != null) {
                out.println(reply.line());
                out.flush();
                if (out.checkError()) {
                    // Whoever read the results has gone: nobody would see the next ones.
                    return;
                }
            }
            if (reply.quit()) {
                return;
            }
        }
    }
}
