package io.jdist.term;

/**
 * Thrown by {@link TermParser} when text is not a term: the message names the place, 1-based, and
 * what was wrong there, as in {@code line 1, column 7: expected ',' or '}' but was 'x'}.
 */
public final class TermParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    TermParseException(String detail, int line, int column) {
        super("line " + line + ", column " + column + ": " + detail);
        this.line = line;
        this.column = column;
    }

    /** The line of the problem, counting from 1. */
    public int line() {
        return line;
    }

    /** The column of the problem, counting characters (code points) from 1. */
    public int column() {
        return column;
    }
}
