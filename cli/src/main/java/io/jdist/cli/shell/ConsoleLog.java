package io.jdist.cli.shell;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command's log: what jdist and its libraries log through {@code System.Logger} (which lands in
 * {@code java.util.logging}), one line per record, {@code LEVEL logger: message}, written to stderr
 * or, in a terminal, above the prompt. Warnings and errors only, unless {@code --verbose}, which adds
 * INFO (nodes starting, connecting, leaving) and stack traces.
 */
public final class ConsoleLog {

    private static final LineHandler HANDLER = new LineHandler();

    private ConsoleLog() {
    }

    /**
     * Sends every log record at WARNING and above (INFO and above when {@code verbose}) to {@code
     * sink}, one line each, instead of java.util.logging's default two-line console format. Called
     * again, it changes the sink.
     */
    public static synchronized void install(Consumer<String> sink, boolean verbose) {
        HANDLER.sink = Objects.requireNonNull(sink, "sink");
        HANDLER.verbose = verbose;
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler != HANDLER) {
                root.removeHandler(handler);
            }
        }
        // Lifecycle lines (started, connected) would bury a person's results; --verbose shows them.
        root.setLevel(verbose ? Level.INFO : Level.WARNING);
        HANDLER.setLevel(Level.ALL);
        root.removeHandler(HANDLER);
        root.addHandler(HANDLER);
    }

    private static final class LineHandler extends Handler {

        private final Formatter messages = new Formatter() {
            @Override
            public String format(LogRecord record) {
                return formatMessage(record);
            }
        };
        private volatile Consumer<String> sink = System.err::println;
        private volatile boolean verbose;

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            StringBuilder line = new StringBuilder(level(record.getLevel())).append(' ')
                    .append(record.getLoggerName()).append(": ").append(messages.format(record));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                if (verbose) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    thrown.printStackTrace(new java.io.PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                } else {
                    line.append(": ").append(Shell.message(thrown));
                }
            }
            sink.accept(line.toString());
        }

        /** System.Logger's names for the levels it maps to java.util.logging's. */
        private static String level(Level level) {
            int value = level.intValue();
            return value >= Level.SEVERE.intValue() ? "ERROR"
                    : value >= Level.WARNING.intValue() ? "WARNING"
                    : value >= Level.INFO.intValue() ? "INFO"
                    : "DEBUG";
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
