package io.jdist.cli;

import io.jdist.ExitException;
import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.List;

/** chip as a Java node of this JVM; its {@code my_iex} is a mailbox answered by a thread of its own. */
final class JavaChip implements Chip {

    private final Node node;

    JavaChip(Node node) {
        this.node = node;
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public String registerAction() {
        return "chip> register(" + MY_IEX + ", self()).";
    }

    @Override
    public String register(Node dale) {
        Mailbox myIex = node.createMailbox(MY_IEX);
        Thread echo = new Thread(() -> answer(myIex), "jdist-demo-" + MY_IEX);
        echo.setDaemon(true);
        echo.start();
        return "true";
    }

    /** {@code receive {From, Msg} -> From ! {node(), Msg} end}, until the node closes the mailbox. */
    private void answer(Mailbox myIex) {
        Atom self = Atom.of(node.name());
        try {
            while (true) {
                Term message = myIex.receive();
                if (message instanceof Tuple t && t.arity() == 2 && t.get(0) instanceof Pid from) {
                    myIex.send(from, Tuple.of(self, t.get(1)));
                }
            }
        } catch (ExitException | InterruptedException e) {
            // The node closed: chip is gone, and so is its process.
        }
    }

    @Override
    public String nodesAction() {
        return "chip> nodes().";
    }

    @Override
    public List<String> nodes(Node dale) {
        return node.nodes();
    }

    @Override
    public String stopAction() {
        return "chip stops: its node closes";
    }

    @Override
    public void stop() {
        node.close();
    }

    @Override
    public void close() {
        node.close();
    }
}
