package io.jdist.carrier;

import io.jdist.internal.discovery.EpmdDiscovery;
import io.jdist.internal.discovery.FixedPortDiscovery;
import io.jdist.internal.discovery.RandomCreationPublication;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * How nodes find each other: a node publishes the address it listens at under its name, and looks
 * its peers' addresses up by theirs. EPMD is the usual discovery; a fixed port, or a directory of
 * Unix sockets, are others. Discovery is separate from the {@link Carrier}: the carrier moves bytes
 * to an address, the discovery says which address.
 *
 * <p>Implementations are thread-safe. A node calls {@link #listenAddress} and then {@link #publish} once, at
 * start, before any {@link #lookup}; {@link #lookup} is called from any thread, concurrently, and may block on I/O.
 * {@link #close()} is called once, when the node closes, after its publication was closed.
 */
public interface Discovery extends AutoCloseable {

    /**
     * Discovery through the EPMD at {@code epmdPort} on each node's host, as {@code erl} does by
     * default. A node publishing with it starts an embedded EPMD when none answers.
     */
    static Discovery epmd(int epmdPort) {
        return new EpmdDiscovery(epmdPort);
    }

    /**
     * Discovery without EPMD, as {@code erl -erl_epmd_port PORT -start_epmd false}: every node listens
     * on {@code port}, so a peer is found at that port on its host.
     */
    static Discovery fixedPort(int port) {
        return new FixedPortDiscovery(port);
    }

    /**
     * Where {@code node} should listen, given the address its configuration asks for (for carriers
     * on IP, the bind address and port). A discovery that derives addresses from names, such as a
     * directory of sockets, returns its own, and may clear a stale one. The default returns {@code
     * requested}. Called once, at start, before {@link #publish}.
     *
     * @throws IOException if the node cannot listen there, for instance because a live node holds
     *     the name; the message says why
     */
    default SocketAddress listenAddress(String node, SocketAddress requested) throws IOException {
        return requested;
    }

    /**
     * Publishes {@code node} as listening at {@code listenAddress}, for as long as the returned
     * publication is open. A discovery that loses the publication (its EPMD connection drops, say)
     * restores it by itself.
     *
     * @param node the full node name, {@code alive@host}
     * @param listenAddress where the node's carrier listens, as its server reports it
     * @throws IOException if the name cannot be published, for instance because a live node holds it;
     *     the message says why
     */
    Publication publish(String node, SocketAddress listenAddress) throws IOException;

    /**
     * The address {@code node} listens at.
     *
     * @throws IOException if {@code node} cannot be found; the message names the node and where it
     *     was looked for
     */
    SocketAddress lookup(String node) throws IOException;

    @Override
    void close();

    /** A node's published name. */
    interface Publication extends AutoCloseable {

        /**
         * A publication with a fresh random creation, as a node without EPMD has: all a discovery
         * needs when no registry hands creations out. {@code withdraw} takes the name back (removes
         * an entry or a file) on the first {@link #close()}, and never again.
         */
        static Publication withRandomCreation(Runnable withdraw) {
            return new RandomCreationPublication(withdraw);
        }

        /**
         * The node's creation, the 32-bit number that tells its incarnations apart and goes into its
         * pids, ports and references. Never 0.
         */
        int creation();

        /** Withdraws the name. Idempotent. */
        @Override
        void close();
    }
}
