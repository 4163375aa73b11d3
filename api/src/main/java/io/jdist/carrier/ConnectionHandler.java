package io.jdist.carrier;

import java.nio.ByteBuffer;

/**
 * Receives a connection's events from its carrier. jdist implements it; a carrier calls it.
 *
 * <p>Call order: {@link #connected} exactly once, then {@link #received} any number of times, then
 * {@link #closed} exactly once, whichever side closed and whatever the cause. {@code connected} and
 * {@code closed} are called exactly once even when the connection fails at once. Calls for one
 * connection are never concurrent: a carrier delivers them from one thread at a time, in order.
 */
public interface ConnectionHandler {

    /** The connection is open; bytes may be written from now on. */
    void connected(CarrierConnection connection);

    /**
     * Bytes arrived, in order. The buffer is valid only during the call: a handler that needs the
     * bytes later copies them. The handler must not block.
     */
    void received(ByteBuffer bytes);

    /**
     * The connection is closed.
     *
     * @param cause why, or {@code null} for an orderly close by either side
     */
    void closed(Throwable cause);
}
