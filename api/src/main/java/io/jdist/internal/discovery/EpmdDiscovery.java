package io.jdist.internal.discovery;

import io.jdist.carrier.Discovery;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.internal.epmd.EpmdClient;
import io.jdist.internal.epmd.NodeEntry;
import io.jdist.internal.epmd.NodeType;
import io.jdist.internal.epmd.Registration;
import io.jdist.internal.node.NodeNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Discovery through EPMD, as {@code erl} does it: a node registers with the EPMD on its own host,
 * starting an embedded one when none answers, keeps the registration connection open, and
 * registers again when that connection drops; peers are looked up with the EPMD on their host.
 */
public final class EpmdDiscovery implements Discovery {

    private static final System.Logger LOG = System.getLogger("io.jdist.discovery.epmd");

    /** The only distribution version jdist speaks. */
    private static final int VERSION = 6;

    private final int epmdPort;

    /** @param epmdPort the port of EPMD on every host */
    public EpmdDiscovery(int epmdPort) {
        this.epmdPort = epmdPort;
    }

    @Override
    public Publication publish(String node, SocketAddress listenAddress) throws IOException {
        if (!(listenAddress instanceof InetSocketAddress inet)) {
            throw new IOException("EPMD publishes TCP ports, but the carrier listens at " + listenAddress);
        }
        return new EpmdPublication(NodeEntry.of(NodeNames.aliveOf(node), inet.getPort(), NodeType.NORMAL));
    }

    @Override
    public SocketAddress lookup(String node) throws IOException {
        InetAddress address = InetAddress.getByName(NodeNames.hostOf(node));
        EpmdClient epmd = EpmdClient.builder().host(address.getHostAddress()).port(epmdPort).build();
        String alive = NodeNames.aliveOf(node);
        Optional<NodeEntry> entry = epmd.portPlease(alive);
        if (entry.isEmpty()) {
            throw new IOException("no node named " + alive + " is registered with EPMD at " + epmd.address());
        }
        if (entry.get().highestVersion() < VERSION || entry.get().lowestVersion() > VERSION) {
            throw new IOException(node + " speaks distribution versions " + entry.get().lowestVersion() + " to "
                    + entry.get().highestVersion() + "; jdist speaks " + VERSION);
        }
        return new InetSocketAddress(address, entry.get().port());
    }

    @Override
    public void close() {
        // Publications hold what there is to release.
    }

    @Override
    public String toString() {
        return "EPMD on port " + epmdPort;
    }

    /** A registration that restores itself, on a thread of its own, when EPMD drops it. */
    private final class EpmdPublication implements Publication {

        private final NodeEntry entry;
        private final int creation;
        private final Object lock = new Object();
        private EmbeddedEpmd.Lease lease;
        private Registration registration;
        private Thread restorer;
        private boolean closed;

        EpmdPublication(NodeEntry entry) throws IOException {
            this.entry = entry;
            lease = EmbeddedEpmd.acquire(epmdPort);
            try {
                registration = lease.client().register(entry, this::lost);
            } catch (IOException | RuntimeException e) {
                lease.close();
                throw e;
            }
            creation = registration.creation();
        }

        @Override
        public int creation() {
            // The first creation stays after registering again: pids already handed out name it.
            return creation;
        }

        private void lost(Registration lost) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "EPMD at {0} dropped the registration of {1}; registering again",
                        lost.epmdAddress(), entry.name());
                restorer = new Thread(this::restore, "jdist-epmd-reregister-" + entry.name());
                restorer.setDaemon(true);
                restorer.start();
            }
        }

        private void restore() {
            for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
                try {
                    EmbeddedEpmd.Lease fresh = EmbeddedEpmd.acquire(epmdPort);
                    Registration again;
                    try {
                        again = fresh.client().register(entry, this::lost);
                    } catch (IOException | RuntimeException e) {
                        fresh.close();
                        throw e;
                    }
                    synchronized (lock) {
                        EmbeddedEpmd.Lease old = lease;
                        lease = fresh;
                        registration = again;
                        old.close();
                        if (closed) {
                            registration.close();
                            lease.close();
                            return;
                        }
                    }
                    LOG.log(System.Logger.Level.INFO, "registered {0} with EPMD again", entry.name());
                    return;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "registering {0} with EPMD again failed (attempt {1}): {2}",
                            entry.name(), attempt, e.getMessage());
                    try {
                        Thread.sleep(Math.min(5000, 200L * attempt));
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            Thread running;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                registration.close();
                lease.close();
                running = restorer;
            }
            if (running != null) {
                running.interrupt();
            }
        }
    }
}
