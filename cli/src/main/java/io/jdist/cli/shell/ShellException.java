package io.jdist.cli.shell;

/** A command the shell cannot run as written; the message is the line a person sees after {@code error: }. */
final class ShellException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ShellException(String message) {
        super(message, null, false, false);
    }
}
