package io.jdist.carrier.tck;

import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentMap;

/**
 * The node suite's discovery for carriers without one of their own: the nodes of one test publish
 * their addresses in a map the test holds, so the suite needs no EPMD and no fixed port.
 */
final class InProcessDiscovery implements Discovery {

    private final ConcurrentMap<String, SocketAddress> published;

    /** @param published the test's map of node names to addresses, shared by its nodes */
    InProcessDiscovery(ConcurrentMap<String, SocketAddress> published) {
        this.published = published;
    }

    @Override
    public Publication publish(String node, SocketAddress listenAddress) throws IOException {
        if (published.putIfAbsent(node, listenAddress) != null) {
            throw new IOException("the name " + node + " is in use: a node of this test published it");
        }
        return Publication.withRandomCreation(() -> published.remove(node, listenAddress));
    }

    @Override
    public SocketAddress lookup(String node) throws IOException {
        SocketAddress address = published.get(node);
        if (address == null) {
            throw new IOException("no node named " + node + " is published in this test");
        }
        return address;
    }

    @Override
    public void close() {
        // The map is the test's, and outlives each node.
    }
}
