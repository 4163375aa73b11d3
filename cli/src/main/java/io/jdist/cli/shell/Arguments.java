package io.jdist.cli.shell;

import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.TermParseException;
import io.jdist.term.TermParser;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a command's arguments with {@link TermParser}, after putting the shell's pid in place of
 * {@code self()}. Each failure is a {@link ShellException} naming the argument and what was wrong.
 */
final class Arguments {

    /** A node name written without quotes although Erlang would need them, as {@code b@my-host}. */
    private static final Pattern BARE_NODE = Pattern.compile("[A-Za-z0-9_.@-]+");

    private final Pid self;
    private final String localNode;

    Arguments(Pid self, String localNode) {
        this.self = self;
        this.localNode = localNode;
    }

    /** Any term. */
    Term term(String text, String role) {
        String expanded = ShellSyntax.withSelf(text, self);
        try {
            return TermParser.parse(expanded);
        } catch (TermParseException e) {
            // One line of input: the column is all that locates the problem.
            String where = e.getMessage().startsWith("line 1, ") ? e.getMessage().substring(8) : e.getMessage();
            throw new ShellException(role + " " + Shell.abbreviate(expanded) + ": " + where);
        }
    }

    /** An atom, such as a module or a registered name. */
    Atom atom(String text, String role) {
        Term term = term(text, role);
        if (term instanceof Atom atom) {
            return atom;
        }
        throw new ShellException("expected " + role + " to be an atom but was " + Shell.abbreviate(term.toString()));
    }

    /**
     * A node name, {@code alive@host}: an atom, or a bare word that Erlang would quote (a host name
     * with a hyphen), since people type node names as they see them.
     */
    String node(String text) {
        String name;
        if (BARE_NODE.matcher(text).matches()) {
            name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        } else {
            name = atom(text, "Node").name();
        }
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1) {
            String example = (at > 0 ? name.substring(0, at) : at < 0 ? name : "name")
                    + localNode.substring(localNode.indexOf('@'));
            throw new ShellException("expected a node name alive@host, such as " + Atom.of(example) + ", but was "
                    + Shell.abbreviate(text));
        }
        return name;
    }

    /** A pid, a registered name, {@code {Name, Node}} or an alias. */
    Destination destination(String text) {
        return Destination.of(term(text, "Dest"), localNode);
    }

    /** A proper list, such as the arguments of a function. */
    List<Term> list(String text, String role) {
        Term term = term(text, role);
        if (term instanceof ErlList list && list.isProper()) {
            return list.elements();
        }
        throw new ShellException("expected " + role + " to be a list, such as [1, <<\"x\">>], but was "
                + Shell.abbreviate(term.toString()));
    }

    /** A reference. */
    Ref ref(String text, String role) {
        Term term = term(text, role);
        if (term instanceof Ref ref) {
            return ref;
        }
        throw new ShellException("expected " + role + " to be a reference, #Ref<...>, but was "
                + Shell.abbreviate(term.toString()));
    }

    /** A number of milliseconds, 0 or more. */
    long millis(String text, String role) {
        Term term = term(text, role);
        if (term instanceof Int i && i.value() >= 0) {
            return i.value();
        }
        throw new ShellException("expected " + role + " to be a number of milliseconds, 0 or more, but was "
                + Shell.abbreviate(term.toString()));
    }
}
