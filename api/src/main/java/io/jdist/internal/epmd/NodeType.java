package io.jdist.internal.epmd;

/**
 * The node type a node announces in its EPMD registration. EPMD stores and echoes it; nobody
 * interprets it (OTP 25 sends {@link #NORMAL} even for {@code -hidden} nodes).
 */
public enum NodeType {

    /** {@code 77} ({@code 'M'}): a normal Erlang node. */
    NORMAL(77),

    /** {@code 72} ({@code 'H'}): the historical value for hidden and C nodes. */
    HIDDEN(72);

    private final int code;

    NodeType(int code) {
        this.code = code;
    }

    /** The byte sent on the wire. */
    public int code() {
        return code;
    }
}
