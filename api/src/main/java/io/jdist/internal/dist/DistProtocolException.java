package io.jdist.internal.dist;

import java.io.IOException;

/** A peer sent a message that breaks the distribution protocol; its connection must be closed. */
public final class DistProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public DistProtocolException(String message) {
        super(message);
    }

    public DistProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
