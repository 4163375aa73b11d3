package io.jdist.cli.shell;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/**
 * Where a message, monitor, link or call goes, written as in Erlang: a pid, a name registered on
 * the shell's node, {@code {Name, Node}}, or an alias (a reference).
 */
sealed interface Destination {

    /** A process by pid. */
    record ToPid(Pid pid) implements Destination {
    }

    /** The process registered as {@code name} on {@code node} (the shell's own node for a bare name). */
    record ToName(String name, String node) implements Destination {
    }

    /** An alias of a process. */
    record ToAlias(Ref alias) implements Destination {
    }

    /**
     * Reads a destination from its term.
     *
     * @param localNode the node a bare name is registered on
     * @throws ShellException if the term is none of the four forms
     */
    static Destination of(Term term, String localNode) {
        if (term instanceof Pid pid) {
            return new ToPid(pid);
        } else if (term instanceof Atom name) {
            return new ToName(name.name(), localNode);
        } else if (term instanceof Ref ref) {
            return new ToAlias(ref);
        } else if (term instanceof Tuple t && t.arity() == 2 && t.get(0) instanceof Atom name
                && t.get(1) instanceof Atom node) {
            return new ToName(name.name(), node.name());
        }
        throw new ShellException("expected a pid, a registered name, {Name, Node} or an alias but was "
                + Shell.abbreviate(term.toString()));
    }
}
