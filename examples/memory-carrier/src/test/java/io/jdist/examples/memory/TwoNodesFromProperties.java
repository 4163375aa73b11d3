package io.jdist.examples.memory;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.term.Atom;
import java.time.Duration;

/**
 * Two nodes configured as a user would, by {@code -Ddist.*} properties alone: one message from the
 * first to the second, then the carrier their connection is on. Run by {@link MemoryCarrierTest}
 * in a JVM of its own, so that its properties touch no other test.
 */
final class TwoNodesFromProperties {

    private TwoNodesFromProperties() {
    }

    /** @param args a suffix that makes the node names unique */
    public static void main(String[] args) throws Exception {
        try (Node a = Node.start(NodeConfig.builder().sname("a_" + args[0]).build());
                Node b = Node.start(NodeConfig.builder().sname("b_" + args[0]).build())) {
            Mailbox inbox = b.createMailbox("inbox");
            a.createMailbox().send("inbox", b.name(), Atom.of("hello"));
            Object received = inbox.receive(Duration.ofSeconds(10)).orElseThrow();
            System.out.println(received + " over " + a.connectionInfo(b.name()).orElseThrow().carrier());
        }
    }
}
