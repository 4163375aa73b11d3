package io.jdist.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jdist demo}: the seed documents' walk-through, narrated, with nothing to set up; see {@link
 * Demo}. The exit status is 0 only when every step worked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Jdist.Version.class,
        description = {
        "Runs the seed documents' walk-through (chip and dale: connect, nodes, a registered send, disconnect and"
                + " reconnect on send, a monitor that fires noconnection) with two Java nodes over mutual TLS, then"
                + " with a real Erlang node over TCP and over TLS when erl is on the PATH.",
        "Needs no set-up: it starts its own EPMD on a free port and makes its certificates in a temporary"
                + " directory; it stops everything it started and removes the directory at the end.",
        "Exit status 0 when every step worked, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Jdist jdist;

    @Option(names = "--no-erlang", description = "Skip the parts with a real Erlang node.")
    boolean noErlang;

    @Option(names = "--keep", description = "Keep the temporary directory (certificates, optfile) and say where.")
    boolean keep;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean verbose = jdist != null && jdist.verbose;
        Optional<Path> erl = noErlang ? Optional.empty() : ErlNode.findErl();
        String skipBecause = noErlang ? "--no-erlang" : "erl is not on the PATH (Debian: apt-get install erlang-base"
                + " erlang-ssl)";
        out.println("jdist demo: the seed documents' session between two nodes. chip registers a process as my_iex;");
        out.println("dale connects to chip, sends to my_iex by name, disconnects, sends again, and monitors my_iex");
        out.println("until chip stops. Shell lines are Erlang. Part 1 is two Java nodes; parts 2 and 3 a Java dale"
                + " and a real erl chip.");
        try (WarningLog warnings = new WarningLog(verbose)) {
            return new Demo(new Narration(out, verbose, warnings::drain), erl, skipBecause, keep).run();
        }
    }

    /**
     * Keeps jdist's log off the story: its warnings are collected, to be shown under the step that
     * failed (a connection's cause of failure is logged, not thrown), and with {@code --verbose}
     * everything is also logged to stderr as usual. Restores the logger when closed.
     */
    private static final class WarningLog extends Handler implements AutoCloseable {

        private final Logger logger = Logger.getLogger("io.jdist");
        private final Level level = logger.getLevel();
        private final boolean parentHandlers = logger.getUseParentHandlers();
        private final SimpleFormatter formatter = new SimpleFormatter();
        private final List<String> lines = new ArrayList<>();

        WarningLog(boolean verbose) {
            setLevel(Level.WARNING);
            logger.addHandler(this);
            logger.setUseParentHandlers(verbose);
            if (!verbose) {
                logger.setLevel(Level.WARNING);
            }
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                synchronized (lines) {
                    lines.add(record.getLoggerName() + ": " + formatter.formatMessage(record).lines().findFirst().orElse(""));
                }
            }
        }

        /** The warnings since the last call. */
        List<String> drain() {
            synchronized (lines) {
                List<String> drained = List.copyOf(lines);
                lines.clear();
                return drained;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(parentHandlers);
            logger.setLevel(level);
        }
    }
}
