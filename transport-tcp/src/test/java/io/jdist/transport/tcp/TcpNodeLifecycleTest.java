package io.jdist.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.carrier.Discovery;
import io.jdist.term.Atom;
import io.jdist.testing.node.AbstractNodeLifecycleTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node lifecycle suite over plain TCP, and what only TCP has: a fixed port for every node. */
class TcpNodeLifecycleTest extends AbstractNodeLifecycleTest {

    @Override
    protected String carrier() {
        return "tcp";
    }

    @Test
    void fixedPortDiscoveryFindsPeersWithoutEpmd() throws Exception {
        // Two nodes on one port need two addresses: 127.0.0.1 and 127.0.0.2, both loopback.
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress second = InetAddress.getByName("127.0.0.2");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, first)) {
            port = probe.getLocalPort();
        }
        String suffix = Long.toHexString(System.nanoTime());
        try (Node a = Node.start(fixed(port).name("fixed_a_" + suffix + "@127.0.0.1").bindAddress(first).build());
                Node b = Node.start(fixed(port).name("fixed_b_" + suffix + "@127.0.0.2").bindAddress(second).build());
                Mailbox inbox = b.createMailbox("inbox");
                Mailbox sender = a.createMailbox()) {
            sender.send("inbox", b.name(), Atom.of("found_you"));

            assertEquals(Optional.of(Atom.of("found_you")), inbox.receive(Duration.ofSeconds(5)));
            assertEquals(List.of(b.name()), a.nodes());
        }
    }

    private static NodeConfig.Builder fixed(int port) {
        return NodeConfig.builder().cookie("fixed-port-test").carrier("tcp").port(port)
                .discovery(Discovery.fixedPort(port));
    }
}
