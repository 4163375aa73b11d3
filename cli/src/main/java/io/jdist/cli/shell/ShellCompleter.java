package io.jdist.cli.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion in the terminal: command names as the first word (and after {@code help}), and
 * known node names ({@link KnownNodes}) as the first argument of the commands that take a node.
 */
final class ShellCompleter implements Completer {

    private final KnownNodes nodes;

    ShellCompleter(KnownNodes nodes) {
        this.nodes = nodes;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            commands(candidates);
        } else if (line.wordIndex() == 1) {
            ShellCommand command = ShellCommand.of(line.words().get(0)).orElse(null);
            if (command == ShellCommand.HELP) {
                commands(candidates);
            } else if (command != null && command.takesNodeFirst()) {
                for (String name : nodes.names()) {
                    candidates.add(new Candidate(name));
                }
            }
        }
    }

    private static void commands(List<Candidate> candidates) {
        for (ShellCommand command : ShellCommand.values()) {
            candidates.add(new Candidate(command.word(), command.word(), null, command.summary(), null, null, true));
        }
    }
}
