package io.jdist.internal.discovery;

import io.jdist.carrier.Discovery;
import io.jdist.internal.node.NodeNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;

/**
 * Discovery without EPMD, as {@code erl -erl_epmd_port P -start_epmd false} does it: every node
 * listens on the same fixed port, so a peer is found at that port on its host. Nothing is
 * published; one node per host and port.
 */
public final class FixedPortDiscovery implements Discovery {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int port;

    /** @param port the port every node listens on, 1 to 65535 */
    public FixedPortDiscovery(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("expected a fixed distribution port from 1 to 65535 but was " + port);
        }
        this.port = port;
    }

    @Override
    public Publication publish(String node, SocketAddress listenAddress) throws IOException {
        if (!(listenAddress instanceof InetSocketAddress inet) || inet.getPort() != port) {
            throw new IOException("with a fixed port discovery the node must listen on port " + port
                    + ", but it listens at " + listenAddress);
        }
        // No EPMD hands out a creation: pick one at random, never 0.
        int creation = 0;
        while (creation == 0) {
            creation = RANDOM.nextInt();
        }
        int chosen = creation;
        return new Publication() {
            @Override
            public int creation() {
                return chosen;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SocketAddress lookup(String node) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(NodeNames.hostOf(node)), port);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "fixed port " + port;
    }
}
