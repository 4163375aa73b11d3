package io.jdist.internal.node;

import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/**
 * The group leader of processes this node spawns on other nodes. Erlang sends a process's output
 * ({@code io:format}) to its group leader and waits for the answer, so one that never answers would
 * hang them: this one logs what is written, at INFO on {@code io.jdist.io}, and answers {@code ok}.
 * Reading is refused with {@code {error, enotsup}}.
 */
final class GroupLeader implements NodeCore.LocalProcess {

    private static final System.Logger LOG = System.getLogger("io.jdist.io");
    private static final Atom IO_REQUEST = Atom.of("io_request");
    private static final Atom IO_REPLY = Atom.of("io_reply");
    private static final Atom PUT_CHARS = Atom.of("put_chars");
    private static final Term NOT_SUPPORTED = Tuple.of(Atom.ERROR, Atom.of("enotsup"));

    private final NodeCore node;

    GroupLeader(NodeCore node) {
        this.node = node;
    }

    @Override
    public void deliver(Term message) {
        // {io_request, From, ReplyAs, Request} -> {io_reply, ReplyAs, Reply}
        if (message instanceof Tuple t && t.arity() == 4 && t.get(0).equals(IO_REQUEST) && t.get(1) instanceof Pid from) {
            Term request = t.get(3);
            boolean output = request instanceof Tuple r && r.arity() >= 2 && r.get(0).equals(PUT_CHARS);
            if (output) {
                LOG.log(System.Logger.Level.INFO, "output of {0}: {1}", from, text((Tuple) request));
            }
            node.send(null, from, Tuple.of(IO_REPLY, t.get(2), output ? Atom.OK : NOT_SUPPORTED));
        }
    }

    /**
     * The characters of put_chars: {put_chars, Chars}, {put_chars, Encoding, Chars}, or {put_chars,
     * Encoding, M, F, A} (what io:format sends), shown as the call that would make them.
     */
    private static String text(Tuple request) {
        if (request.arity() == 5) {
            return request.get(2) + ":" + request.get(3) + request.get(4);
        }
        Term chars = request.get(request.arity() - 1);
        if (chars instanceof Binary b) {
            return b.utf8();
        }
        if (chars instanceof ErlList l) {
            return l.asString().orElse(l.toString());
        }
        return request.toString();
    }
}
