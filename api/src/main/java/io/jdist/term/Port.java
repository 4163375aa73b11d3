package io.jdist.term;

import java.util.Objects;

/**
 * An Erlang port identifier. Ports cannot be used across nodes; they are carried so that they can be
 * sent back.
 *
 * @param node the node that owns the port
 * @param id the port number, unsigned, up to 64 bits
 * @param creation the incarnation of the node, unsigned 32 bits
 */
public record Port(Atom node, long id, int creation) implements Term {

    public Port {
        Objects.requireNonNull(node, "node");
    }

    /** The port in jdist's syntax, which {@link TermParser} reads: {@code #Port<a@host.3.17>}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
