package io.jdist.carrier;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A transport for distribution connections: it listens, connects, and moves bytes in order in both
 * directions. It does not frame or interpret them.
 *
 * <p>Implementations are thread-safe. {@link #close()} is idempotent and releases everything the
 * carrier holds, including servers and connections it made.
 *
 * <p>The conformance kit ({@code io.jdist:jdist-carrier-tck}) checks these contracts, and those of
 * {@link CarrierConnection} and {@link ConnectionHandler}, for any carrier.
 */
public interface Carrier extends AutoCloseable {

    /** The carrier's name, as its provider's. */
    String name();

    /**
     * The width in bytes of the length prefix of handshake messages on this carrier: 2 for a plain
     * stream, as OTP's {@code inet_tcp_dist}; 4 when OTP's module for this transport opens its
     * sockets in 4-byte packet mode, as {@code inet_tls_dist} does. After the handshake every
     * carrier uses 4.
     */
    int handshakeLengthBytes();

    /**
     * Starts accepting connections at {@code address}.
     *
     * @param address where to listen; what kinds of address a carrier accepts is its own (an {@link
     *     java.net.InetSocketAddress} with port 0 for any free port, a {@link
     *     java.net.UnixDomainSocketAddress}, ...)
     * @param handlers called once per accepted connection, on any thread, for the handler that will
     *     receive its events
     * @throws IOException if the address cannot be bound, as when a server listens there already,
     *     with the address in the message
     */
    CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException;

    /**
     * Connects to {@code address}. On success the handler's {@link ConnectionHandler#connected} is
     * called before the returned stage completes; on failure the stage completes exceptionally with
     * an {@link IOException} naming the address, and the handler is not called at all.
     */
    CompletionStage<CarrierConnection> connect(SocketAddress address, ConnectionHandler handler);

    /**
     * Connects to {@code address}, which belongs to a node on host {@code peerHost}: the host part
     * of the node name being dialled ({@code db1.example.com} for {@code app@db1.example.com}). A
     * carrier that authenticates its peers uses it, as OTP's {@code inet_tls_dist} does, for the TLS
     * server name indication. jdist always calls this variant; the default ignores the host and
     * calls {@link #connect(SocketAddress, ConnectionHandler)}, with the same contract.
     */
    default CompletionStage<CarrierConnection> connect(SocketAddress address, String peerHost,
            ConnectionHandler handler) {
        return connect(address, handler);
    }

    /**
     * The discovery that goes with this carrier's addresses, used when the node is not configured
     * with one: a directory of sockets for a carrier on Unix-domain sockets, say. Empty, the default,
     * means EPMD, which suits carriers on TCP ports.
     */
    default Optional<Discovery> discovery() {
        return Optional.empty();
    }

    /**
     * Closes every server and connection the carrier made (each connection's handler hears {@link
     * ConnectionHandler#closed} once, as on {@link CarrierConnection#close}) and ends its threads.
     * Idempotent.
     */
    @Override
    void close();
}
