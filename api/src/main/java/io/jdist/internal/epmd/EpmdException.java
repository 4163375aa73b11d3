package io.jdist.internal.epmd;

import java.io.IOException;

/**
 * An EPMD answered, but not as the protocol allows, or refused a request: an unexpected response
 * code, a truncated or oversized response, or a refused registration. The message names the EPMD
 * address and the request; {@link #address()} carries the address for callers that act on it.
 *
 * <p>Plain network failures (refused connection, timeout) are not reported with this type but
 * with the JDK's own exceptions, re-created with the address in the message.
 */
public final class EpmdException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String address;

    /**
     * Creates an exception for the EPMD at {@code address}.
     *
     * @param address the EPMD's address as {@code host:port}
     * @param message the full message, which should already name the address
     */
    public EpmdException(String address, String message) {
        super(message);
        this.address = address;
    }

    /** The address of the EPMD that misbehaved or refused, as {@code host:port}. */
    public String address() {
        return address;
    }
}
