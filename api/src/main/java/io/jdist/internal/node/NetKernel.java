package io.jdist.internal.node;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/**
 * The part of OTP's {@code net_kernel} that peers call: {@code net_adm:ping/1} is a {@code
 * gen_server} call of {@code {is_auth, Node}} to the registered name {@code net_kernel}, and the
 * node answers {@code yes}.
 */
final class NetKernel implements NodeCore.LocalProcess {

    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");

    private final NodeCore node;

    NetKernel(NodeCore node) {
        this.node = node;
    }

    @Override
    public void deliver(Term message) {
        // {'$gen_call', {From, Tag}, {is_auth, Node}}: reply {Tag, yes} to From. Tag may be
        // [alias | Ref]; a reply to the caller's pid reaches it as well as one to the alias would.
        if (message instanceof Tuple call && call.arity() == 3 && call.get(0).equals(GEN_CALL)
                && call.get(1) instanceof Tuple from && from.arity() == 2 && from.get(0) instanceof Pid caller
                && call.get(2) instanceof Tuple request && request.arity() == 2 && request.get(0).equals(IS_AUTH)) {
            node.send(null, caller, Tuple.of(from.get(1), YES));
        }
    }
}
