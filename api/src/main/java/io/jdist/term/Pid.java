package io.jdist.term;

import java.util.Objects;

/**
 * An Erlang process identifier. The numbers are unsigned 32-bit values carried in {@code int}s.
 *
 * <p>Erlang treats a pid as its own only when both the node name and the creation match the node's
 * current incarnation, so pids received from a peer must be sent back exactly as they came.
 *
 * @param node the node the process lives on
 * @param id the process number on that node
 * @param serial the serial number, which grows when process numbers wrap
 * @param creation the incarnation of the node that made the pid
 */
public record Pid(Atom node, int id, int serial, int creation) implements Term {

    public Pid {
        Objects.requireNonNull(node, "node");
    }

    /** The pid in jdist's syntax, which {@link TermParser} reads: {@code #Pid<a@host.3.83.0>}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
