package io.jdist;

import io.jdist.term.Atom;

/** The process called does not exist, or no process has the name called: Erlang's {@code noproc}. */
public class NoProcException extends CallException {

    private static final long serialVersionUID = 1L;

    /** @param message what was called, for people to read */
    public NoProcException(String message) {
        super(message, Atom.of("noproc"));
    }
}
