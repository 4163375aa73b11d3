package io.jdist.carrier;

import java.nio.ByteBuffer;

/**
 * Receives a connection's events from its carrier. jdist implements it; a carrier calls it.
 *
 * <p>Call order: {@link #connected} exactly once, then {@link #received} any number of times, then
 * {@link #closed} exactly once, whichever side closed and whatever the cause. {@code connected} and
 * {@code closed} are called exactly once even when the connection fails at once. Calls for one
 * connection are never concurrent: a carrier delivers them from one thread at a time, in order
 * ({@link #writable} excepted, see there).
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
     * The connection's outgoing buffer has filled past the carrier's high-water mark ({@code false})
     * or drained below its low-water mark ({@code true}). jdist holds senders back while it is
     * full, as Erlang suspends a process sending on a busy distribution connection. Called
     * between {@link #connected} and {@link #closed}, alternately {@code false} and {@code true},
     * never concurrently with itself, possibly from a thread inside {@link CarrierConnection#write},
     * so it must not block. A carrier that cannot tell never calls it, and the connection counts as
     * writable.
     */
    default void writable(boolean writable) {
    }

    /**
     * The connection is closed.
     *
     * @param cause why, or {@code null} for an orderly close by either side
     */
    void closed(Throwable cause);
}
