package io.jdist.internal.handshake;

import java.io.IOException;

/** A handshake that cannot go on: a malformed message, a refused status or a wrong digest. */
public final class HandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }
}
