package io.jdist.cli;

import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Term;
import java.time.Duration;
import java.util.List;

/**
 * chip as a real Erlang node: an {@code erl} that registers {@code my_iex} as it starts. Java nodes
 * are hidden, as JInterface nodes are, so chip lists dale in {@code nodes(hidden)}.
 */
final class ErlangChip implements Chip {

    /** The program erl runs once its distribution is up: the seed's my_iex, answering what it gets. */
    static final String PROGRAM = "register(" + MY_IEX + ", spawn(fun Loop() ->"
            + " receive {From, Msg} when is_pid(From) -> From ! {node(), Msg}; _ -> ok end, Loop() end))";

    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

    private final ErlNode erl;

    ErlangChip(ErlNode erl) {
        this.erl = erl;
    }

    @Override
    public String name() {
        return erl.name();
    }

    @Override
    public String registerAction() {
        return "chip> whereis(" + MY_IEX + ").     % registered as erl started; dale asks by rpc";
    }

    @Override
    public String register(Node dale) throws InterruptedException {
        Term pid = dale.rpc(name(), "erlang", "whereis", List.of(Atom.of(MY_IEX)), RPC_TIMEOUT);
        if (pid.equals(Atom.of("undefined"))) {
            throw new IllegalStateException("nothing is registered as " + MY_IEX + " on " + name());
        }
        return pid.toString();
    }

    @Override
    public String nodesAction() {
        return "chip> nodes(hidden).       % Java nodes are hidden, as JInterface nodes are";
    }

    @Override
    public List<String> nodes(Node dale) throws InterruptedException {
        Term nodes = dale.rpc(name(), "erlang", "nodes", List.of(Atom.of("hidden")), RPC_TIMEOUT);
        if (!(nodes instanceof ErlList list)) {
            throw new IllegalStateException("expected a list from nodes(hidden) but got " + nodes);
        }
        return list.elements().stream().map(t -> ((Atom) t).name()).toList();
    }

    @Override
    public String stopAction() {
        return "chip stops: erl (OS pid " + erl.pid() + ") is killed";
    }

    @Override
    public void stop() throws Exception {
        erl.kill();
    }

    @Override
    public void close() {
        erl.close();
    }
}
