package io.jdist.carrier;

import java.net.SocketAddress;

/** A carrier's listening endpoint. Closing it stops accepting; connections already made stay open. */
public interface CarrierServer extends AutoCloseable {

    /** The address bound, with the actual port when port 0 was asked for. */
    SocketAddress localAddress();

    /** Stops accepting and frees the address, so that a server may listen there again. Idempotent. */
    @Override
    void close();
}
