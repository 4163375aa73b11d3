package io.jdist.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects what jdist logs while a test runs: a {@code java.util.logging} handler on a logger such
 * as {@code io.jdist}, where jdist's {@code System.Logger} output lands when no other logging
 * backend is installed. Records below the logger's configured level are not seen. {@link #close()}
 * removes the handler.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One log record, with its message formatted (parameters filled in) and its exception's text appended. */
    public record Entry(Level level, String logger, String text) {
        /** Whether this is a warning or worse. */
        public boolean isWarning() {
            return level.intValue() >= Level.WARNING.intValue();
        }
    }

    private static final Formatter FORMATTER = new SimpleFormatter();

    /** Held strongly: java.util.logging keeps its loggers only weakly. */
    private final Logger logger;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /** Starts capturing what {@code loggerName} and the loggers below it log. */
    public static LogCapture start(String loggerName) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder text = new StringBuilder(FORMATTER.formatMessage(record));
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            text.append(" | ").append(t);
        }
        entries.add(new Entry(record.getLevel(), record.getLoggerName(), text.toString()));
    }

    /** Everything captured so far, in order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The warnings (and worse) captured so far. */
    public List<Entry> warnings() {
        return entries.stream().filter(Entry::isWarning).toList();
    }

    /**
     * Waits until an entry matches {@code condition}.
     *
     * @return the first matching entry
     * @throws AssertionError listing what was captured if none matches in time
     */
    public Entry await(Predicate<Entry> condition, Duration timeout, String description) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Entry e : entries) {
                if (condition.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line " + description + " within " + timeout.toMillis()
                        + " ms; captured:\n" + describe());
            }
            Thread.sleep(20);
        }
    }

    /** The captured entries, one per line, for failure messages. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append("  ").append(e.level()).append(' ').append(e.logger()).append(": ").append(e.text()).append('\n');
        }
        return out.length() == 0 ? "  (nothing)\n" : out.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
