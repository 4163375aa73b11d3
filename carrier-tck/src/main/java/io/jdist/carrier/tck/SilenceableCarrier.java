package io.jdist.carrier.tck;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * A carrier wrapped so that a test can silence it: after {@link #silence()}, every byte its
 * connections would send or deliver is dropped, while the connections stay open. To its peers the
 * node looks as a stopped process or a severed network does, which only the distribution's ticks
 * can detect. Made by {@link SilenceableCarrierProvider}, as a node makes any carrier.
 */
public final class SilenceableCarrier implements Carrier {

    private static final ConcurrentMap<String, SilenceableCarrier> OPEN = new ConcurrentHashMap<>();

    private final String handle;
    private final Carrier wrapped;
    private volatile boolean silent;

    private SilenceableCarrier(String handle, Carrier wrapped) {
        this.handle = handle;
        this.wrapped = wrapped;
    }

    static SilenceableCarrier open(String handle, Carrier wrapped) {
        SilenceableCarrier carrier = new SilenceableCarrier(handle, wrapped);
        if (OPEN.putIfAbsent(handle, carrier) != null) {
            wrapped.close();
            throw new IllegalArgumentException("a " + SilenceableCarrierProvider.NAME + " carrier with handle '" + handle
                    + "' is open already");
        }
        return carrier;
    }

    /**
     * The open carrier made with setting {@code handle}.
     *
     * @throws IllegalStateException if none is open
     */
    public static SilenceableCarrier byHandle(String handle) {
        SilenceableCarrier carrier = OPEN.get(handle);
        if (carrier == null) {
            throw new IllegalStateException("no " + SilenceableCarrierProvider.NAME + " carrier with handle '" + handle
                    + "' is open");
        }
        return carrier;
    }

    /** From now on, drops every byte each connection of this carrier would send or deliver. */
    public void silence() {
        silent = true;
    }

    @Override
    public String name() {
        return SilenceableCarrierProvider.NAME;
    }

    @Override
    public int handshakeLengthBytes() {
        return wrapped.handshakeLengthBytes();
    }

    @Override
    public Optional<Discovery> discovery() {
        return wrapped.discovery();
    }

    @Override
    public CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        return wrapped.listen(address, () -> new Silenceable(handlers.get()));
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, ConnectionHandler handler) {
        Silenceable connection = new Silenceable(handler);
        return wrapped.connect(address, connection).thenApply(c -> connection);
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, String peerHost,
            ConnectionHandler handler) {
        Silenceable connection = new Silenceable(handler);
        return wrapped.connect(address, peerHost, connection).thenApply(c -> connection);
    }

    @Override
    public void close() {
        OPEN.remove(handle, this);
        wrapped.close();
    }

    /** One connection: the wrapped carrier's handler, and the connection its own handler sees. */
    private final class Silenceable implements ConnectionHandler, CarrierConnection {

        private final ConnectionHandler handler;
        private volatile CarrierConnection connection;

        Silenceable(ConnectionHandler handler) {
            this.handler = handler;
        }

        @Override
        public void connected(CarrierConnection c) {
            connection = c;
            handler.connected(this);
        }

        @Override
        public void received(ByteBuffer bytes) {
            if (!silent) {
                handler.received(bytes);
            }
        }

        @Override
        public void writable(boolean writable) {
            handler.writable(writable);
        }

        @Override
        public void closed(Throwable cause) {
            handler.closed(cause);
        }

        @Override
        public void write(ByteBuffer... buffers) {
            if (!silent) {
                connection.write(buffers);
            }
        }

        @Override
        public void close() {
            connection.close();
        }

        @Override
        public SocketAddress remoteAddress() {
            return connection.remoteAddress();
        }

        @Override
        public SocketAddress localAddress() {
            return connection.localAddress();
        }

        @Override
        public List<Certificate> peerCertificates() {
            return connection.peerCertificates();
        }

        @Override
        public Optional<String> checkPeer(String nodeName) {
            return connection.checkPeer(nodeName);
        }
    }
}
