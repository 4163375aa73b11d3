package io.jdist.internal.discovery;

import io.jdist.carrier.Discovery;
import io.jdist.internal.node.NodeNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Discovery without EPMD, as {@code erl -erl_epmd_port P -start_epmd false} does it: every node
 * listens on the same fixed port, so a peer is found at that port on its host. Nothing is
 * published; one node per host and port.
 */
public final class FixedPortDiscovery implements Discovery {

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
        // Nothing to withdraw: no registry holds the name.
        return Publication.withRandomCreation(() -> { });
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
