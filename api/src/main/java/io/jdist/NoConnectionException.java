package io.jdist;

import io.jdist.term.Atom;

/** The node called could not be reached, or its connection went down during the call: {@code noconnection}. */
public class NoConnectionException extends CallException {

    private static final long serialVersionUID = 1L;

    /** @param message what was called, for people to read */
    public NoConnectionException(String message) {
        super(message, Atom.of("noconnection"));
    }
}
