package io.jdist.bench;

/** A measurement could not be made: a peer failed, answered wrongly or not in time. */
final class BenchException extends Exception {

    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
