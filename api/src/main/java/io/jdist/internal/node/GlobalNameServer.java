package io.jdist.internal.node;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of OTP's {@code global_name_server} that a visible peer talks to, for a node that
 * registers no global names (OTP 25, {@code kernel/src/global.erl}, protocol version 8).
 *
 * <p>When a visible node connects, each OTP node's name server casts {@code {init_connect, ...}}
 * to {@code {global_name_server, Node}}, and {@code global:sync/0} waits until that node is in
 * sync. This one answers at once with {@code {in_sync, ThisNode, true}}: OTP then counts this node
 * as synced without ever adding it to the nodes global knows, so its name registrations, lock
 * sessions and overlapping-partition handling ({@code lost_connection}, {@code remove_connection})
 * never involve this node.
 *
 * <p>It also holds locks, because {@code global:set_lock/1,2} and {@code global:trans/2,3} take a
 * lock on every node in {@code [node() | nodes()]}, which lists a visible node: {@code {set_lock,
 * {ResourceId, RequesterId}}} and {@code {del_lock, ...}} calls follow {@code handle_set_lock} and
 * {@code handle_del_lock}, and a lock is released when its holder dies or its node goes down.
 * Other requests are dropped: they are sent only to nodes global knows.
 */
final class GlobalNameServer implements NodeCore.LocalProcess {

    static final Atom NAME = Atom.of("global_name_server");

    private static final System.Logger LOG = System.getLogger("io.jdist.global");
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    private static final Atom INIT_CONNECT = Atom.of("init_connect");
    private static final Atom IN_SYNC = Atom.of("in_sync");
    private static final Atom SET_LOCK = Atom.of("set_lock");
    private static final Atom DEL_LOCK = Atom.of("del_lock");
    private static final Atom DOWN = Atom.of("DOWN");

    /** A held lock: who asked for it and the processes that hold it, each with its monitor. */
    private record Lock(Term requester, Map<Pid, Ref> holders) {
    }

    private final NodeCore node;
    private final Map<Term, Lock> locks = new HashMap<>();
    private volatile Pid self;

    GlobalNameServer(NodeCore node) {
        this.node = node;
    }

    /** Spawns the name server and registers it as {@code global_name_server}. */
    static void start(NodeCore node) {
        GlobalNameServer server = new GlobalNameServer(node);
        server.self = node.spawn(server);
        node.register(NAME, server.self);
    }

    @Override
    public void deliver(Term message) {
        if (!(message instanceof Tuple t) || t.arity() == 0) {
            return;
        }
        if (t.get(0).equals(GEN_CAST) && t.arity() == 2 && t.get(1) instanceof Tuple cast && cast.arity() == 4
                && cast.get(0).equals(INIT_CONNECT) && cast.get(2) instanceof Atom peer) {
            // {init_connect, {Vsn, Tag}, Node, {locker, _, Known, TheLocker}}: we have no names to
            // exchange, so we are in sync with Node at once.
            LOG.log(System.Logger.Level.DEBUG, "global on {0} synchronising; answering in_sync", peer.name());
            node.send(self, NAME, peer.name(), Tuple.of(GEN_CAST, Tuple.of(IN_SYNC, node.nameAtom(), Atom.TRUE)));
        } else if (t.get(0).equals(GEN_CALL) && t.arity() == 3 && t.get(1) instanceof Tuple from
                && from.arity() == 2 && from.get(0) instanceof Pid caller && t.get(2) instanceof Tuple request
                && request.arity() == 2 && request.get(1) instanceof Tuple id && id.arity() == 2) {
            if (request.get(0).equals(SET_LOCK)) {
                reply(caller, from.get(1), setLock(id.get(0), id.get(1), caller));
            } else if (request.get(0).equals(DEL_LOCK)) {
                delLock(id.get(0), id.get(1), caller);
                reply(caller, from.get(1), Atom.TRUE);
            }
        } else if (t.get(0).equals(DOWN) && t.arity() == 5 && t.get(1) instanceof Ref ref
                && t.get(3) instanceof Pid holder) {
            released(holder, ref);
        }
    }

    private void reply(Pid caller, Term tag, Term value) {
        node.send(self, caller, Tuple.of(tag, value));
    }

    /** {@code handle_set_lock}: granted if the resource is free or held for the same requester. */
    private Atom setLock(Term resource, Term requester, Pid caller) {
        Ref monitor;
        synchronized (this) {
            Lock lock = locks.get(resource);
            if (lock != null && !lock.requester().equals(requester)) {
                return Atom.FALSE;
            }
            if (lock != null && lock.holders().containsKey(caller)) {
                return Atom.TRUE;
            }
            if (lock == null) {
                lock = new Lock(requester, new LinkedHashMap<>());
                locks.put(resource, lock);
            }
            // Recorded before the monitor is taken, so that a 'DOWN' that comes at once finds it.
            monitor = node.newRef();
            lock.holders().put(caller, monitor);
        }
        node.processes().monitor(self, caller, null, monitor);
        return Atom.TRUE;
    }

    /** {@code handle_del_lock}: the caller lets go, if it holds the lock for that requester. */
    private void delLock(Term resource, Term requester, Pid caller) {
        Ref monitor;
        synchronized (this) {
            Lock lock = locks.get(resource);
            if (lock == null || !lock.requester().equals(requester)) {
                return;
            }
            monitor = lock.holders().remove(caller);
            if (lock.holders().isEmpty()) {
                locks.remove(resource);
            }
        }
        if (monitor != null) {
            node.processes().demonitor(self, monitor);
        }
    }

    /** A holder died or its node went down: it no longer holds anything. */
    private synchronized void released(Pid holder, Ref monitor) {
        locks.values().removeIf(lock -> lock.holders().remove(holder, monitor) && lock.holders().isEmpty());
    }
}
