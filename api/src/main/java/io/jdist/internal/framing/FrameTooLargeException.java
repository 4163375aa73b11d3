package io.jdist.internal.framing;

import java.io.IOException;

/** A peer announced a frame longer than the connection accepts. */
public final class FrameTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    FrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes exceeds the limit of " + limit);
    }
}
