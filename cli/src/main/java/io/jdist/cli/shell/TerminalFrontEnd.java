package io.jdist.cli.shell;

import io.jdist.cli.shell.Shell.Reply;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The shell for people, in a terminal: a prompt like iex's ({@code jdist(a@host)1>}), line editing,
 * history kept in a file, Tab completion of commands and node names. Messages that arrive while the
 * prompt waits are shown above it as {@code % arrived: Msg} (they stay queued for {@code receive}
 * and {@code flush}); log lines are shown above it too. Ctrl-C clears the line, or interrupts a
 * command that waits (such as {@code receive}); Ctrl-D or {@code quit} leaves.
 */
public final class TerminalFrontEnd {

    private final Shell shell;
    private final Path historyFile;
    private final KnownNodes nodes;
    private final boolean verbose;
    private volatile boolean reading;

    /**
     * @param historyFile where the history is kept between sessions
     * @param epmdPort this host's EPMD port, whose names completion offers, or 0 when the node does not use EPMD
     */
    public TerminalFrontEnd(Shell shell, Path historyFile, int epmdPort, boolean verbose) {
        this.shell = shell;
        this.historyFile = historyFile;
        this.nodes = new KnownNodes(shell.node(), epmdPort == 0 ? null : KnownNodes.localEpmd(epmdPort));
        this.verbose = verbose;
    }

    /**
     * Whether stdin and stdout are a terminal. Before Java 22 a {@link Console} exists only then;
     * from Java 22 on it may exist regardless and {@code Console.isTerminal()} tells.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Runs commands until Ctrl-D or {@code quit}. */
    public void run() throws IOException {
        if (historyFile.getParent() != null) {
            Files.createDirectories(historyFile.getParent());
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("jdist").build()) {
            DefaultParser parser = new DefaultParser();
            // Backslashes belong to Erlang strings and atoms, not to the line editor.
            parser.setEscapeChars(new char[0]);
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("jdist").parser(parser)
                    .completer(new ShellCompleter(nodes))
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    // '!' would otherwise recall history (bash's !!), and Erlang terms may hold it.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            ConsoleLog.install(reader::printAbove, verbose);
            shell.process().onArrival(message -> {
                if (reading) {
                    reader.printAbove("% arrived: " + message);
                }
            });
            Thread commands = Thread.currentThread();
            terminal.handle(Terminal.Signal.INT, signal -> commands.interrupt());
            PrintWriter out = terminal.writer();
            out.println("jdist node " + shell.node().name() + "; help lists the commands, quit or Ctrl-D leaves");
            try {
                loop(reader, out);
                reader.getHistory().save();
            } finally {
                // What the node logs as it closes goes to stderr, not to a terminal that is gone.
                shell.process().onArrival(message -> { });
                ConsoleLog.install(System.err::println, verbose);
            }
        }
    }

    private void loop(LineReader reader, PrintWriter out) {
        int count = 1;
        while (true) {
            String line;
            Thread.interrupted(); // a Ctrl-C that came as a command ended must not hit the next one
            reading = true;
            try {
                line = reader.readLine("jdist(" + shell.node().name() + ")" + count + "> ");
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            } finally {
                reading = false;
            }
            Reply reply = shell.execute(line);
            if (reply.display() != null) {
                out.println(reply.display());
                out.flush();
                count++;
            }
            if (reply.quit()) {
                return;
            }
        }
    }
}
