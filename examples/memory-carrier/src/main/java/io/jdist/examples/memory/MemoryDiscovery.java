package io.jdist.examples.memory;

import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * How nodes on the {@code memory} carrier find each other: a node listens at the address named
 * after it, so the carrier's table of listening addresses is the whole registry, and publishing
 * adds nothing to it.
 */
final class MemoryDiscovery implements Discovery {

    @Override
    public SocketAddress listenAddress(String node, SocketAddress requested) throws IOException {
        MemoryAddress address = MemoryAddress.of(node);
        if (MemoryCarrier.isListening(address)) {
            throw new IOException("the name " + node + " is in use: a node of this JVM listens at " + address);
        }
        return address;
    }

    @Override
    public Publication publish(String node, SocketAddress listenAddress) {
        // The node's server is its entry in the table, and leaves it when the server closes.
        return Publication.withRandomCreation(() -> { });
    }

    @Override
    public SocketAddress lookup(String node) throws IOException {
        MemoryAddress address = MemoryAddress.of(node);
        if (!MemoryCarrier.isListening(address)) {
            throw new IOException("no node named " + node + " listens in this JVM");
        }
        return address;
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
