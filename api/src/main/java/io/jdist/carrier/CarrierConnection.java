package io.jdist.carrier;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;

/** One open connection of a carrier. All methods are thread-safe. */
public interface CarrierConnection {

    /**
     * Sends the remaining bytes of {@code buffers}, in order, after everything written before, and
     * flushes them. The caller gives up the buffers: it must not change them afterwards. Writes to a
     * closed connection are dropped.
     *
     * <p>Callers batch: jdist passes every message queued since its last write in one call, so an
     * implementation should send them with as few system calls as it can.
     */
    void write(ByteBuffer... buffers);

    /**
     * Closes the connection. Idempotent; the handler's {@link ConnectionHandler#closed} follows once.
     */
    void close();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** This end's address. */
    SocketAddress localAddress();

    /**
     * The certificate chain the peer presented, its own certificate first; empty for carriers
     * without certificates.
     */
    default List<Certificate> peerCertificates() {
        return List.of();
    }
}
