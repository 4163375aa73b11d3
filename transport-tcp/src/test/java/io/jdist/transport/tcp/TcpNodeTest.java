package io.jdist.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.carrier.Discovery;
import io.jdist.term.Atom;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What only nodes on TCP have: a fixed port for every node instead of EPMD, and a choice of
 * addresses to listen on. The rest of a node's life on TCP is the kit's ({@link TcpNodeConformanceTest}).
 */
class TcpNodeTest {

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

    @Test
    void listensOnEveryAddressUnlessBoundToOne() throws Exception {
        // The default is what is under test, so one node binds every address for a moment; the test
        // itself only ever connects over loopback (127.0.0.1 and 127.0.0.2).
        InetAddress first = InetAddress.getByName("127.0.0.1");
        InetAddress second = InetAddress.getByName("127.0.0.2");
        int everywherePort = freePort(first);
        int boundPort = freePort(first);
        String suffix = Long.toHexString(System.nanoTime());
        try (Node everywhere = Node.start(fixed(everywherePort).sname("everywhere_" + suffix).build());
                Node bound = Node.start(fixed(boundPort).sname("bound_" + suffix).bindAddress(first).build())) {
            connect(first, everywherePort);
            connect(second, everywherePort);
            connect(first, boundPort);
            assertThrows(IOException.class, () -> connect(second, boundPort),
                    "a node bound to 127.0.0.1 answered on 127.0.0.2");
            assertTrue(everywhere.alive() && bound.alive());
        }
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    private static NodeConfig.Builder fixed(int port) {
        return NodeConfig.builder().cookie("fixed-port-test").carrier("tcp").port(port)
                .discovery(Discovery.fixedPort(port));
    }
}
