package io.jdist.internal.epmd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Shares one embedded {@link EpmdServer} per port among the nodes of this JVM, and keeps it
 * serving for as long as anyone is registered in it.
 *
 * <p>Semantics of {@link #acquire(int)}:
 * <ul>
 *   <li>If this JVM already serves the port, the lease shares that server.
 *   <li>Otherwise, if an EPMD already answers on the port (the {@code epmd} daemon, or another
 *       process's embedded one), the lease owns nothing: {@link Lease#server()} is empty and the
 *       node simply uses that EPMD.
 *   <li>Otherwise a server is started on the port. If another process binds it first, the
 *       lease falls back to using that process's EPMD.
 * </ul>
 *
 * <p>Releasing the last lease of a server stops it at once when nothing is registered in it.
 * When registrations remain (real {@code erl} nodes, or a node of this JVM that released before
 * closing its registration), the server keeps serving, and accepting registrations, until the last
 * one disconnects, then stops; a node started on this host meanwhile still finds an EPMD. A new
 * {@code acquire} before that point takes the server over again. Nodes should close their
 * {@link Registration} before releasing their lease. Thread-safe.
 */
public final class EmbeddedEpmd {

    private static final System.Logger LOG = System.getLogger("io.jdist.epmd");
    /** A probe of a local port needs no patience: loopback answers or refuses at once. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** Servers started by this class, by port; guarded by the class lock. */
    private static final Map<Integer, Shared> SERVERS = new HashMap<>();

    private EmbeddedEpmd() {}

    /** Acquires an EPMD on loopback at {@code port}; see the class description. */
    public static Lease acquire(int port) throws IOException {
        return acquire(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Acquires an EPMD at {@code port}, starting one bound to {@code bindAddress} if none answers.
     * Port 0 always starts a new server on an ephemeral port.
     *
     * @throws IOException if the port is taken by something that does not answer as an EPMD
     */
    public static synchronized Lease acquire(InetAddress bindAddress, int port) throws IOException {
        if (port != 0) {
            Shared shared = SERVERS.get(port);
            if (shared != null && shared.server.keepOpen()) {
                shared.leases++;
                return new Lease(port, shared, probeAddress(bindAddress));
            }
            SERVERS.remove(port);
            if (answersAsEpmd(bindAddress, port)) {
                LOG.log(Level.INFO, "using the epmd already answering on port {0}",
                        String.valueOf(port));
                return new Lease(port, null, probeAddress(bindAddress));
            }
        }
        EpmdServer server;
        try {
            server = EpmdServer.builder().bindAddress(bindAddress).port(port).start();
        } catch (BindException e) {
            if (port != 0 && answersAsEpmd(bindAddress, port)) {
                // another process bound the port between the probe and our bind
                return new Lease(port, null, probeAddress(bindAddress));
            }
            throw e;
        }
        Shared shared = new Shared(server);
        SERVERS.put(server.port(), shared);
        return new Lease(server.port(), shared, probeAddress(bindAddress));
    }

    private static synchronized void release(Shared shared) {
        if (--shared.leases == 0) {
            if (!shared.server.registrations().isEmpty()) {
                LOG.log(Level.INFO, "last lease of embedded epmd on {0} released; serving until its"
                        + " {1} registration(s) end", shared.server.address(),
                        String.valueOf(shared.server.registrations().size()));
            }
            shared.server.closeWhenIdle();
        }
    }

    private static boolean answersAsEpmd(InetAddress bindAddress, int port) throws IOException {
        EpmdClient client = EpmdClient.builder().host(probeAddress(bindAddress)).port(port)
                .connectTimeout(PROBE_TIMEOUT).readTimeout(PROBE_TIMEOUT).build();
        try {
            client.names();
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IOException("port " + port + " is in use but does not answer as an epmd: "
                    + e.getMessage(), e);
        }
    }

    /** Where this host's EPMD at the bind address is reached: loopback for a wildcard bind. */
    private static String probeAddress(InetAddress bindAddress) {
        InetAddress address = bindAddress.isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : bindAddress;
        return address.getHostAddress();
    }

    /** A server of this JVM and how many leases hold it; guarded by the class lock. */
    private static final class Shared {
        final EpmdServer server;
        int leases = 1;

        Shared(EpmdServer server) {
            this.server = server;
        }
    }

    /**
     * The right to use the EPMD at a port. Close it (once is enough; it is idempotent) when the
     * node stops. Thread-safe.
     */
    public static final class Lease implements AutoCloseable {

        private final int port;
        private final Shared shared;
        private final String host;
        private boolean released; // guarded by EmbeddedEpmd.class

        private Lease(int port, Shared shared, String host) {
            this.port = port;
            this.shared = shared;
            this.host = host;
        }

        /** The EPMD port, to register at and to give {@code erl} as {@code ERL_EPMD_PORT}. */
        public int port() {
            return port;
        }

        /** This JVM's server for the port, or empty when another process's EPMD serves it. */
        public Optional<EpmdServer> server() {
            return shared == null ? Optional.empty() : Optional.of(shared.server);
        }

        /** A client of the EPMD this lease refers to (on loopback unless bound elsewhere). */
        public EpmdClient client() {
            return EpmdClient.builder().host(host).port(port).build();
        }

        /** Releases the lease; see {@link EmbeddedEpmd} for when the server then stops. */
        @Override
        public void close() {
            synchronized (EmbeddedEpmd.class) {
                if (released) {
                    return;
                }
                released = true;
                if (shared != null) {
                    release(shared);
                }
            }
        }

        @Override
        public String toString() {
            return "EmbeddedEpmd.Lease[port " + port + (shared == null ? ", foreign epmd" : "") + "]";
        }
    }
}
