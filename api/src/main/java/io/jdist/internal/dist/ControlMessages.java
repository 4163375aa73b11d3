package io.jdist.internal.dist;

import io.jdist.internal.handshake.DistFlags;
import io.jdist.term.Atom;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.nio.ByteBuffer;

/**
 * The packets of the process signals, in the variant the negotiated flags call for: SEND_SENDER
 * rather than SEND, and the EXIT_PAYLOAD forms (the reason as a term of its own after the control
 * tuple) rather than the reason inside it. With flags 0 (a connection not up yet) the older
 * variants are chosen, which every peer takes.
 */
public final class ControlMessages {

    private static final Atom EMPTY = Atom.of("");

    private ControlMessages() {
    }

    /** {@code To ! Message}; {@code from} may be {@code null} for a sender that is no process. */
    public static ByteBuffer send(long flags, Pid from, Pid to, Term message) {
        return from != null && (flags & DistFlags.SEND_SENDER) != 0
                ? DistCodec.encode(Tuple.of(ControlOps.SEND_SENDER, from, to), message)
                : DistCodec.encode(Tuple.of(ControlOps.SEND, EMPTY, to), message);
    }

    /** {@code {Name, Node} ! Message}: REG_SEND, whatever the flags. */
    public static ByteBuffer regSend(Pid from, Atom name, Term message) {
        return DistCodec.encode(Tuple.of(ControlOps.REG_SEND, from, EMPTY, name), message);
    }

    /** A link broke: {@code from} ended with {@code reason}. */
    public static ByteBuffer linkExit(long flags, Pid from, Pid to, Term reason) {
        return (flags & DistFlags.EXIT_PAYLOAD) != 0
                ? DistCodec.encode(Tuple.of(ControlOps.PAYLOAD_EXIT, from, to), reason)
                : DistCodec.encode(Tuple.of(ControlOps.EXIT, from, to, reason), null);
    }

    /** {@code exit(To, Reason)}. */
    public static ByteBuffer exit2(long flags, Pid from, Pid to, Term reason) {
        return (flags & DistFlags.EXIT_PAYLOAD) != 0
                ? DistCodec.encode(Tuple.of(ControlOps.PAYLOAD_EXIT2, from, to), reason)
                : DistCodec.encode(Tuple.of(ControlOps.EXIT2, from, to, reason), null);
    }

    /** A monitored process ended; {@code from} is its pid, or the name it was monitored by. */
    public static ByteBuffer monitorExit(long flags, Term from, Pid watcher, Ref ref, Term reason) {
        return (flags & DistFlags.EXIT_PAYLOAD) != 0
                ? DistCodec.encode(Tuple.of(ControlOps.PAYLOAD_MONITOR_P_EXIT, from, watcher, ref), reason)
                : DistCodec.encode(Tuple.of(ControlOps.MONITOR_P_EXIT, from, watcher, ref, reason), null);
    }

    public static ByteBuffer link(Pid from, Pid to) {
        return DistCodec.encode(Tuple.of(ControlOps.LINK, from, to), null);
    }

    public static ByteBuffer unlinkId(long id, Pid from, Pid to) {
        return DistCodec.encode(Tuple.of(ControlOps.UNLINK_ID, Int.of(id), from, to), null);
    }

    /** The acknowledgement of an UNLINK_ID: {@code from} is the acknowledging process. */
    public static ByteBuffer unlinkIdAck(Term id, Pid from, Pid to) {
        return DistCodec.encode(Tuple.of(ControlOps.UNLINK_ID_ACK, id, from, to), null);
    }

    /** {@code target} is a pid or a bare registered name. */
    public static ByteBuffer monitor(Pid from, Term target, Ref ref) {
        return DistCodec.encode(Tuple.of(ControlOps.MONITOR_P, from, target, ref), null);
    }

    public static ByteBuffer demonitor(Pid from, Term target, Ref ref) {
        return DistCodec.encode(Tuple.of(ControlOps.DEMONITOR_P, from, target, ref), null);
    }

    public static ByteBuffer aliasSend(Pid from, Ref alias, Term message) {
        return DistCodec.encode(Tuple.of(ControlOps.ALIAS_SEND, from, alias), message);
    }

    /**
     * The exit reason an EXIT, EXIT2 or MONITOR_P_EXIT message carries, in any variant: the payload
     * of the EXIT_PAYLOAD forms, else the last element of the control tuple (after the trace token
     * in the _TT forms).
     */
    public static Term reason(DistMessage message) {
        return switch (message.op()) {
            case ControlOps.PAYLOAD_EXIT, ControlOps.PAYLOAD_EXIT_TT, ControlOps.PAYLOAD_EXIT2,
                    ControlOps.PAYLOAD_EXIT2_TT, ControlOps.PAYLOAD_MONITOR_P_EXIT -> message.payload();
            case ControlOps.EXIT, ControlOps.EXIT_TT, ControlOps.EXIT2, ControlOps.EXIT2_TT,
                    ControlOps.MONITOR_P_EXIT -> message.control().get(message.control().arity() - 1);
            default -> throw new IllegalArgumentException("operation " + message.op() + " carries no exit reason");
        };
    }
}
