package io.jdist.internal.epmd;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of one EPMD: registers a node ({@code ALIVE2}), looks up a node's port
 * ({@code PORT_PLEASE2}) and lists registered nodes ({@code NAMES}). Each call opens its own
 * connection, as OTP does, so the client is immutable and thread-safe.
 *
 * <p>Network failures are rethrown as the same JDK exception type ({@link ConnectException},
 * {@link SocketTimeoutException}, ...) with the EPMD's address in the message; answers that break
 * the protocol, and refused registrations, are {@link EpmdException}s.
 */
public final class EpmdClient {

    /** The port EPMD listens on unless {@code ERL_EPMD_PORT} says otherwise. */
    public static final int DEFAULT_PORT = 4369;
    /** The environment variable through which OTP and epmd agree on a non-default port. */
    public static final String PORT_ENV = "ERL_EPMD_PORT";

    private static final System.Logger LOG = System.getLogger("io.jdist.epmd");
    /** A NAMES response is text for every registered node; this is far above any real host's. */
    private static final int MAX_NAMES_RESPONSE = 1 << 20;

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private EpmdClient(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
    }

    /**
     * The EPMD port for this process: {@code ERL_EPMD_PORT} when set, else {@value #DEFAULT_PORT}.
     * The one place that reads the variable.
     *
     * @throws IllegalArgumentException if the variable is set but is not a port number
     */
    public static int defaultPort() {
        return portFrom(System.getenv(PORT_ENV));
    }

    static int portFrom(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 0xFFFF) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(
                "expected " + PORT_ENV + " to be a port in 1..65535 but was '" + value + "'");
    }

    /** A client of the EPMD on this host, at 127.0.0.1 (where OTP registers) and {@link #defaultPort()}. */
    public static EpmdClient local() {
        return builder().build();
    }

    /** A builder with the defaults: 127.0.0.1, {@link #defaultPort()}, 3 s connect, 5 s read. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this client's settings. */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).connectTimeout(connectTimeout)
                .readTimeout(readTimeout);
    }

    /** The EPMD's host name or address literal. */
    public String host() {
        return host;
    }

    /** The EPMD's port. */
    public int port() {
        return port;
    }

    /** The EPMD's address as {@code host:port}, as used in messages. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Registers a node: protocol TCP, distribution versions 6..6 (all jdist speaks), no extra.
     *
     * @param aliveName the name before {@code @}
     * @param listenPort the node's distribution listen port
     * @param type the node type to announce
     * @param onLost called once if EPMD drops the registration (see {@link Registration})
     * @throws EpmdException if EPMD refuses the name (it is in use) or answers outside the protocol
     */
    public Registration register(String aliveName, int listenPort, NodeType type,
            Registration.Listener onLost) throws IOException {
        return register(NodeEntry.of(aliveName, listenPort, type), onLost);
    }

    /**
     * Registers an arbitrary entry.
     *
     * @see #register(String, int, NodeType, Registration.Listener)
     */
    public Registration register(NodeEntry entry, Registration.Listener onLost) throws IOException {
        Objects.requireNonNull(onLost, "onLost");
        byte[] request = EpmdProtocol.frame(out -> {
            out.writeByte(EpmdProtocol.ALIVE2_REQ);
            entry.writeTo(out);
        });
        String what = "ALIVE2 for '" + entry.name() + "'";
        Socket socket = connect(what);
        boolean registered = false;
        try {
            socket.getOutputStream().write(request);
            // Unbuffered, so that nothing after the response is swallowed before the watcher reads.
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int code = in.readUnsignedByte();
            if (code != EpmdProtocol.ALIVE2_X_RESP && code != EpmdProtocol.ALIVE2_RESP) {
                throw new EpmdException(address(), "epmd at " + address() + " answered " + what
                        + " with code " + code + "; expected 118 (ALIVE2_X_RESP) or 121 (ALIVE2_RESP)");
            }
            int result = in.readUnsignedByte();
            if (result != 0) {
                throw new EpmdException(address(), "epmd at " + address() + " refused to register '"
                        + entry.name() + "': the name is in use (result " + result + ")");
            }
            int creation = code == EpmdProtocol.ALIVE2_X_RESP ? in.readInt() : in.readUnsignedShort();
            socket.setSoTimeout(0); // from now on the watcher waits for EPMD's end, however long
            Registration registration = new Registration(socket, entry, creation, address(), onLost);
            registration.startWatching();
            registered = true;
            LOG.log(Level.INFO, "registered ''{0}'' (port {1}) at epmd {2} with creation {3}",
                    entry.name(), String.valueOf(entry.port()), address(),
                    Integer.toUnsignedString(creation));
            return registration;
        } catch (IOException e) {
            throw EpmdProtocol.rewrap(e, address(), "epmd at " + address() + " failed during " + what);
        } finally {
            if (!registered) {
                EpmdServer.closeQuietly(socket);
            }
        }
    }

    /**
     * Looks up a node's registration.
     *
     * @param aliveName the name before {@code @}
     * @return the entry, or empty when EPMD does not know the name
     */
    public Optional<NodeEntry> portPlease(String aliveName) throws IOException {
        byte[] name = EpmdProtocol.encodeName(aliveName);
        byte[] request = EpmdProtocol.frame(out -> {
            out.writeByte(EpmdProtocol.PORT_PLEASE2_REQ);
            out.write(name);
        });
        String what = "PORT_PLEASE2 for '" + aliveName + "'";
        Socket socket = connect(what);
        try (socket) {
            socket.getOutputStream().write(request);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int code = in.readUnsignedByte();
            if (code != EpmdProtocol.PORT2_RESP) {
                throw new EpmdException(address(), "epmd at " + address() + " answered " + what
                        + " with code " + code + "; expected 119 (PORT2_RESP)");
            }
            if (in.readUnsignedByte() != 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(NodeEntry.readFrom(in));
            } catch (CharacterCodingException | IllegalArgumentException e) {
                throw new EpmdException(address(), "epmd at " + address() + " answered " + what
                        + " with an invalid entry: " + e.getMessage());
            }
        } catch (IOException e) {
            throw EpmdProtocol.rewrap(e, address(), "epmd at " + address() + " failed during " + what);
        }
    }

    /** Lists the nodes registered at this EPMD. */
    public EpmdNames names() throws IOException {
        byte[] request = EpmdProtocol.frame(out -> out.writeByte(EpmdProtocol.NAMES_REQ));
        Socket socket = connect("NAMES");
        try (socket) {
            socket.getOutputStream().write(request);
            byte[] response = EpmdProtocol.readToEnd(
                    socket.getInputStream(), MAX_NAMES_RESPONSE, address(), "NAMES");
            return EpmdNames.parse(response, address());
        } catch (IOException e) {
            throw EpmdProtocol.rewrap(e, address(), "epmd at " + address() + " failed during NAMES");
        }
    }

    private Socket connect(String what) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), millis(connectTimeout));
            socket.setSoTimeout(millis(readTimeout));
            return socket;
        } catch (IOException e) {
            EpmdServer.closeQuietly(socket);
            throw EpmdProtocol.rewrap(e, address(), "could not connect to epmd at " + address() + " for " + what);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    @Override
    public String toString() {
        return "EpmdClient[" + address() + ", connect " + connectTimeout.toMillis() + " ms, read "
                + readTimeout.toMillis() + " ms]";
    }

    /** Settings for an {@link EpmdClient}; not thread-safe. */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port; // 0: defaultPort(), read at build() so an explicit port needs no env
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration readTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /** The EPMD's host name or address literal; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The EPMD's port; default {@link EpmdClient#defaultPort()}. */
        public Builder port(int port) {
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("expected port in 1..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** How long to wait for the TCP connection; default 3 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** How long to wait for each read of a response; default 5 s. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /** The client. */
        public EpmdClient build() {
            if (port == 0) {
                port = defaultPort();
            }
            return new EpmdClient(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("expected a positive " + what + " but was " + d);
            }
            return d;
        }
    }
}
