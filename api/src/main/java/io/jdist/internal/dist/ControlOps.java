package io.jdist.internal.dist;

/** The operation numbers of distribution control messages (the first element of the control tuple). */
public final class ControlOps {

    public static final int LINK = 1;
    public static final int SEND = 2;
    public static final int EXIT = 3;
    public static final int UNLINK = 4;
    public static final int REG_SEND = 6;
    public static final int GROUP_LEADER = 7;
    public static final int EXIT2 = 8;
    public static final int SEND_TT = 12;
    public static final int EXIT_TT = 13;
    public static final int REG_SEND_TT = 16;
    public static final int EXIT2_TT = 18;
    public static final int MONITOR_P = 19;
    public static final int DEMONITOR_P = 20;
    public static final int MONITOR_P_EXIT = 21;
    public static final int SEND_SENDER = 22;
    public static final int SEND_SENDER_TT = 23;
    public static final int PAYLOAD_EXIT = 24;
    public static final int PAYLOAD_EXIT_TT = 25;
    public static final int PAYLOAD_EXIT2 = 26;
    public static final int PAYLOAD_EXIT2_TT = 27;
    public static final int PAYLOAD_MONITOR_P_EXIT = 28;
    public static final int SPAWN_REQUEST = 29;
    public static final int SPAWN_REQUEST_TT = 30;
    public static final int SPAWN_REPLY = 31;
    public static final int SPAWN_REPLY_TT = 32;
    public static final int ALIAS_SEND = 33;
    public static final int ALIAS_SEND_TT = 34;
    public static final int UNLINK_ID = 35;
    public static final int UNLINK_ID_ACK = 36;

    private ControlOps() {
    }

    /** Whether a message with this operation carries a payload term after the control tuple. */
    public static boolean hasPayload(int op) {
        return switch (op) {
            case SEND, REG_SEND, SEND_TT, REG_SEND_TT, SEND_SENDER, SEND_SENDER_TT, PAYLOAD_EXIT, PAYLOAD_EXIT_TT,
                    PAYLOAD_EXIT2, PAYLOAD_EXIT2_TT, PAYLOAD_MONITOR_P_EXIT, SPAWN_REQUEST, SPAWN_REQUEST_TT,
                    ALIAS_SEND, ALIAS_SEND_TT -> true;
            default -> false;
        };
    }

    /** The arity the control tuple of {@code op} must have, or -1 for an unknown operation. */
    public static int arity(int op) {
        return switch (op) {
            case LINK, SEND, UNLINK, GROUP_LEADER, SEND_SENDER, PAYLOAD_EXIT, PAYLOAD_EXIT2, ALIAS_SEND -> 3;
            case EXIT, REG_SEND, EXIT2, SEND_TT, MONITOR_P, DEMONITOR_P, SEND_SENDER_TT, PAYLOAD_EXIT_TT,
                    PAYLOAD_EXIT2_TT, PAYLOAD_MONITOR_P_EXIT, ALIAS_SEND_TT, UNLINK_ID, UNLINK_ID_ACK -> 4;
            case EXIT_TT, REG_SEND_TT, EXIT2_TT, MONITOR_P_EXIT, SPAWN_REPLY -> 5;
            case SPAWN_REQUEST, SPAWN_REPLY_TT -> 6;
            case SPAWN_REQUEST_TT -> 7;
            default -> -1;
        };
    }
}
