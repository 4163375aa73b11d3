package io.jdist.internal.node;

import io.jdist.internal.dist.ControlMessages;
import io.jdist.internal.dist.ControlOps;
import io.jdist.internal.dist.DistMessage;
import io.jdist.internal.dist.DistProtocolException;
import io.jdist.term.Atom;
import io.jdist.term.BigInt;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/**
 * The process signals a peer sends (everything but the sends, which {@link NodeCore} delivers):
 * checked as OTP checks them, then handed to {@link Processes} and {@link SpawnRequests}. Runs on
 * the connection's carrier thread and never blocks. A malformed signal, or one whose sender is not
 * a process of the connection's peer, breaks the protocol and ends the connection.
 */
final class PeerSignals {

    private static final System.Logger LOG = System.getLogger("io.jdist.process");

    private final Processes processes;
    private final SpawnRequests spawns;

    PeerSignals(Processes processes, SpawnRequests spawns) {
        this.processes = processes;
        this.spawns = spawns;
    }

    void dispatch(Connection c, DistMessage message) throws DistProtocolException {
        Tuple control = message.control();
        switch (message.op()) {
            case ControlOps.LINK -> processes.linkFromPeer(remotePid(c, control.get(1), "LINK"),
                    localPid(control.get(2), "LINK"));
            case ControlOps.UNLINK -> processes.unlinkFromPeer(remotePid(c, control.get(1), "UNLINK"),
                    localPid(control.get(2), "UNLINK"), false);
            case ControlOps.UNLINK_ID -> {
                Term id = control.get(1);
                Pid from = remotePid(c, control.get(2), "UNLINK_ID");
                Pid to = localPid(control.get(3), "UNLINK_ID");
                unlinkId(id, "UNLINK_ID");
                processes.unlinkFromPeer(from, to, true);
                // Acknowledged whatever the state, and before anything else goes from 'to' to 'from'.
                c.send(ControlMessages.unlinkIdAck(id, to, from));
            }
            case ControlOps.UNLINK_ID_ACK -> processes.unlinkAcknowledged(remotePid(c, control.get(2), "UNLINK_ID_ACK"),
                    localPid(control.get(3), "UNLINK_ID_ACK"), unlinkId(control.get(1), "UNLINK_ID_ACK"));
            case ControlOps.EXIT, ControlOps.EXIT_TT, ControlOps.PAYLOAD_EXIT, ControlOps.PAYLOAD_EXIT_TT ->
                    processes.exitFromPeer(remotePid(c, control.get(1), "EXIT"), localPid(control.get(2), "EXIT"),
                            ControlMessages.reason(message), true);
            case ControlOps.EXIT2, ControlOps.EXIT2_TT, ControlOps.PAYLOAD_EXIT2, ControlOps.PAYLOAD_EXIT2_TT ->
                    processes.exitFromPeer(remotePid(c, control.get(1), "EXIT2"), localPid(control.get(2), "EXIT2"),
                            ControlMessages.reason(message), false);
            case ControlOps.MONITOR_P -> {
                Pid from = remotePid(c, control.get(1), "MONITOR_P");
                Term target = control.get(2);
                if (!(control.get(3) instanceof Ref ref) || !(target instanceof Pid || target instanceof Atom)) {
                    throw new DistProtocolException("malformed MONITOR_P " + control);
                }
                if (!processes.monitorFromPeer(from, target, ref)) {
                    // Monitoring what does not exist gives 'DOWN' with noproc at once, as in Erlang.
                    c.send(ControlMessages.monitorExit(c.negotiatedFlags(), target, from, ref, Processes.NOPROC));
                }
            }
            case ControlOps.DEMONITOR_P -> {
                remotePid(c, control.get(1), "DEMONITOR_P");
                if (!(control.get(3) instanceof Ref ref)) {
                    throw new DistProtocolException("malformed DEMONITOR_P " + control);
                }
                processes.demonitorFromPeer(control.get(2), ref);
            }
            case ControlOps.MONITOR_P_EXIT, ControlOps.PAYLOAD_MONITOR_P_EXIT -> {
                if (!(control.get(3) instanceof Ref ref)) {
                    throw new DistProtocolException("MONITOR_P_EXIT without a reference: " + control);
                }
                processes.downFromPeer(localPid(control.get(2), "MONITOR_P_EXIT"), ref, ControlMessages.reason(message));
            }
            case ControlOps.ALIAS_SEND, ControlOps.ALIAS_SEND_TT -> {
                remotePid(c, control.get(1), "ALIAS_SEND");
                if (!(control.get(2) instanceof Ref alias)) {
                    throw new DistProtocolException("ALIAS_SEND to a non-reference " + control.get(2));
                }
                processes.aliasSendFromPeer(alias, message.payload());
            }
            case ControlOps.SPAWN_REQUEST, ControlOps.SPAWN_REQUEST_TT ->
                    spawns.requestFromPeer(c, remotePid(c, control.get(2), "SPAWN_REQUEST"), message);
            case ControlOps.SPAWN_REPLY, ControlOps.SPAWN_REPLY_TT -> spawns.replyFromPeer(control);
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring control message {0} from {1}", control,
                    c.peerName());
        }
    }

    /** The sender of a signal: it must be a pid of the peer of this very connection, as OTP requires. */
    private static Pid remotePid(Connection c, Term term, String op) throws DistProtocolException {
        if (!(term instanceof Pid pid) || !pid.node().name().equals(c.peerName())) {
            throw new DistProtocolException(op + " from " + c.peerName() + " names the sender " + term
                    + ", which is not a pid of that node");
        }
        return pid;
    }

    private static Pid localPid(Term term, String op) throws DistProtocolException {
        if (!(term instanceof Pid pid)) {
            throw new DistProtocolException(op + " to a non-pid " + term);
        }
        return pid;
    }

    /** An unlink id: a positive integer (OTP's go up to 2^64 - 1). */
    private static long unlinkId(Term id, String op) throws DistProtocolException {
        if (id instanceof Int i && i.value() != 0) {
            return i.value();
        }
        if (id instanceof BigInt big && big.value().signum() > 0) {
            return -1; // never one of this node's: it numbers its unlinks from 1
        }
        throw new DistProtocolException(op + " with id " + id + ", which is not a positive integer");
    }
}
