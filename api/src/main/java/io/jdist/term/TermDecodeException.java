package io.jdist.term;

/**
 * Thrown when bytes are not a valid term in the External Term Format, or exceed a limit of the
 * {@link TermDecoder}. The message names the offset, the tag being decoded and what was expected.
 */
public final class TermDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final int tag;

    TermDecodeException(int offset, int tag, String problem) {
        super("at offset " + offset + (tag >= 0 ? " in " + Tags.name(tag) : "") + ": " + problem);
        this.offset = offset;
        this.tag = tag;
    }

    TermDecodeException(int offset, int tag, String problem, Throwable cause) {
        this(offset, tag, problem);
        initCause(cause);
    }

    /** The offset from the start of the input at which the problem was found. */
    public int offset() {
        return offset;
    }

    /** The tag of the term being decoded, or -1 if the problem is not inside a term. */
    public int tag() {
        return tag;
    }
}
