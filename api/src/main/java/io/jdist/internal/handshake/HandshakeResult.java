package io.jdist.internal.handshake;

/**
 * What a completed handshake established.
 *
 * @param peerName the peer's full node name
 * @param peerCreation the peer's creation, as its pids carry it
 * @param peerFlags the flags the peer advertised, expanded ({@link DistFlags#expand})
 * @param flags the negotiated flags: both sides' intersection, which governs encoding both ways
 */
public record HandshakeResult(String peerName, int peerCreation, long peerFlags, long flags) {

    /** Whether the connection is visible: both sides are published nodes. */
    public boolean visible() {
        return (flags & DistFlags.PUBLISHED) != 0;
    }
}
