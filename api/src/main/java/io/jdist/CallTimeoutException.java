package io.jdist;

import io.jdist.term.Atom;

/**
 * No reply came in time: Erlang's {@code timeout}. The callee may still act on the request, and a
 * late reply is dropped.
 */
public class CallTimeoutException extends CallException {

    private static final long serialVersionUID = 1L;

    /** @param message what was called and how long it waited, for people to read */
    public CallTimeoutException(String message) {
        super(message, Atom.of("timeout"));
    }
}
