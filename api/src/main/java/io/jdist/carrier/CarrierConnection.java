package io.jdist.carrier;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;

/** One open connection of a carrier. All methods are thread-safe. */
public interface CarrierConnection {

    /**
     * Sends the remaining bytes of {@code buffers}, in order, after everything written before, and
     * flushes them. The caller gives up the buffers: it must not change them afterwards. Writes to a
     * closed connection are dropped.
     *
     * <p>Never blocks: what cannot be sent at once is queued, and a carrier that bounds its queue
     * says so through {@link ConnectionHandler#writable}. jdist calls it from handler callbacks of
     * this and other connections, so a write that waited for the peer to read could deadlock.
     *
     * <p>Callers batch: jdist passes every message queued since its last write in one call, so an
     * implementation should send them with as few system calls as it can.
     */
    void write(ByteBuffer... buffers);

    /**
     * Closes the connection. Idempotent; the handler's {@link ConnectionHandler#closed} follows once,
     * on either side. A close does not overtake the writes before it, so a handshake's last status
     * message reaches the peer; bytes still held back for a peer too slow to take them may be lost,
     * as may bytes that arrive for this side after the close.
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

    /**
     * Decides whether the peer may use {@code nodeName}, once jdist knows the name: for an outgoing
     * connection the name dialled, before the handshake starts; for an incoming one the name the
     * peer sends, before the cookie challenge. A carrier that authenticates peers (such as {@code
     * tls}, by certificate) checks the name against what it learnt; jdist refuses the peer with
     * OTP's {@code not_allowed} status when a reason is returned.
     *
     * <p>Called at most once per connection, on the thread delivering its events.
     *
     * @return why the peer may not use the name, or empty to accept it; the default accepts every name
     */
    default Optional<String> checkPeer(String nodeName) {
        return Optional.empty();
    }
}
