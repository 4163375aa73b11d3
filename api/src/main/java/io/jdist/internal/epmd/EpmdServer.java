package io.jdist.internal.epmd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedded EPMD that real Erlang nodes can register in and {@code epmd -names},
 * {@code net_adm:names/0} and {@link EpmdClient} can query, in place of the {@code epmd} daemon.
 *
 * <p>It answers ALIVE2 (registration, only from loopback or the host's own address, like epmd),
 * PORT_PLEASE2 and NAMES; see {@link EpmdServerConnection} for what each connection may send and
 * how bad requests are refused. A registration lasts while the registering connection stays open.
 *
 * <p>Threads: one acceptor and one per connection, all daemons; EPMD has few connections, and a
 * blocked or misbehaving client holds only its own thread. Thread-safe; {@link #close()} is
 * idempotent and closes the listening socket and every connection, registrations included.
 */
public final class EpmdServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.epmd");

    private final ServerSocket listener;
    private final int port;
    private final Builder settings;
    private final NodeRegistry registry = new NodeRegistry();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed; // written under this; read without it by the acceptor
    private volatile Thread acceptor;
    private boolean closeWhenIdle; // guarded by this

    private EpmdServer(Builder settings) throws IOException {
        this.settings = settings;
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true); // as epmd does, so a restart is not blocked by TIME_WAIT
            listener.bind(new InetSocketAddress(settings.bindAddress, settings.port), 128);
        } catch (IOException e) {
            listener.close();
            throw rewrapBindFailure(e, settings);
        }
        this.port = listener.getLocalPort();
    }

    private void startAccepting() {
        Thread thread = new Thread(this::acceptLoop, "jdist-epmd-acceptor-" + port);
        thread.setDaemon(true);
        acceptor = thread;
        thread.start();
        LOG.log(Level.INFO, "embedded epmd listening on {0}", address());
    }

    /** Starts a server on loopback at {@code port} (0 for an ephemeral port). */
    public static EpmdServer start(int port) throws IOException {
        return builder().port(port).start();
    }

    /** A builder with the defaults: loopback, {@link EpmdClient#defaultPort()}, epmd's limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the chosen one when it was started with port 0). */
    public int port() {
        return port;
    }

    /** The address the server listens on, as {@code host:port}. */
    public String address() {
        String host = settings.bindAddress.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The live registrations, newest first (the order of {@code NAMES}). */
    public List<NodeEntry> registrations() {
        return registry.entries();
    }

    /** Whether {@link #close()} has run, directly or after {@link #closeWhenIdle()}. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops serving: closes the listening socket and every connection. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(listener);
        }
        awaitAcceptorEnd();
        connections.forEach(EpmdServer::closeQuietly);
        LOG.log(Level.INFO, "embedded epmd on {0} stopped", address());
    }

    /**
     * Waits for the acceptor to leave {@code accept()}: the JDK defers closing a socket that a
     * thread is blocked on until that thread returns, and until then the port still takes
     * connections. Once this returns the port is free, so whoever acquires it next finds it so.
     * The acceptor takes no lock on its way out, so this may run under the server's lock.
     */
    private void awaitAcceptorEnd() {
        Thread thread = acceptor;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes now if nothing is registered, else as soon as the last registration ends. The server
     * keeps answering, and accepting registrations, meanwhile.
     */
    synchronized void closeWhenIdle() {
        closeWhenIdle = true;
        if (registry.size() == 0) {
            close();
        }
    }

    /**
     * Cancels {@link #closeWhenIdle()}.
     *
     * @return false if the server has already closed
     */
    synchronized boolean keepOpen() {
        closeWhenIdle = false;
        return !closed;
    }

    NodeRegistry registry() {
        return registry;
    }

    /** Called by a connection after its registration ended. */
    synchronized void registrationEnded() {
        if (closeWhenIdle && registry.size() == 0) {
            LOG.log(Level.INFO, "last registration at embedded epmd on {0} ended", address());
            close();
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (isClosed()) {
                    return;
                }
                // Typically out of file descriptors; the listener itself is still fine.
                LOG.log(Level.WARNING, "embedded epmd on " + address() + " failed to accept", e);
                pause();
                continue;
            }
            if (!admit(socket)) {
                continue;
            }
            EpmdServerConnection connection = new EpmdServerConnection(this, socket, settings);
            Thread thread = new Thread(() -> {
                try {
                    connection.run();
                } finally {
                    connections.remove(socket);
                }
            }, "jdist-epmd-" + port + "-connection-" + socket.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private boolean admit(Socket socket) {
        if (connections.size() >= settings.maxConnections) {
            LOG.log(Level.WARNING, "embedded epmd on {0} refused a connection from {1}: already {2}"
                    + " connections, the limit", address(), socket.getRemoteSocketAddress(),
                    String.valueOf(settings.maxConnections));
            closeQuietly(socket);
            return false;
        }
        connections.add(socket);
        if (isClosed()) { // close() may have run between accept() and add()
            connections.remove(socket);
            closeQuietly(socket);
            return false;
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException rewrapBindFailure(IOException e, Builder settings) {
        IOException wrapped = new BindException("embedded epmd could not listen on "
                + settings.bindAddress.getHostAddress() + ":" + settings.port + ": " + e.getMessage());
        wrapped.initCause(e);
        return wrapped;
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing releases the descriptor even when it reports a failure
        }
    }

    @Override
    public String toString() {
        return "EpmdServer[" + address() + ", " + registry.size() + " registered"
                + (isClosed() ? ", closed" : "") + "]";
    }

    /** Settings for an {@link EpmdServer}; not thread-safe. */
    public static final class Builder {

        InetAddress bindAddress = InetAddress.getLoopbackAddress();
        int port = -1; // defaultPort(), read at start() so an explicit port needs no env
        int maxRequestLength = EpmdProtocol.MAX_REQUEST_LENGTH;
        Duration requestTimeout = Duration.ofSeconds(60);
        int maxConnections = 1024;

        private Builder() {}

        /** The address to listen on; default loopback. Registrations are accepted from loopback only. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port to listen on, 0 for an ephemeral one; default {@link EpmdClient#defaultPort()}. */
        public Builder port(int port) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("expected port in 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The largest request accepted, checked before allocating; default epmd's 3057 bytes. */
        public Builder maxRequestLength(int bytes) {
            if (bytes < 1 || bytes > 0xFFFF) {
                throw new IllegalArgumentException("expected a limit in 1..65535 but was " + bytes);
            }
            this.maxRequestLength = bytes;
            return this;
        }

        /** How long a connection may take to send its request; default 60 s, like epmd. */
        public Builder requestTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("expected a positive timeout but was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** The most connections served at once, registrations included; default 1024. */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("expected at least 1 connection but was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** Binds and starts the server. */
        public EpmdServer start() throws IOException {
            Builder settings = copy();
            if (settings.port < 0) {
                settings.port = EpmdClient.defaultPort();
            }
            EpmdServer server = new EpmdServer(settings);
            server.startAccepting();
            return server;
        }

        private Builder copy() {
            Builder b = new Builder();
            b.bindAddress = bindAddress;
            b.port = port;
            b.maxRequestLength = maxRequestLength;
            b.requestTimeout = requestTimeout;
            b.maxConnections = maxConnections;
            return b;
        }
    }
}
