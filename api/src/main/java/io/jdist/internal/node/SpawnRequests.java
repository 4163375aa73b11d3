package io.jdist.internal.node;

import io.jdist.internal.dist.ControlOps;
import io.jdist.internal.dist.DistCodec;
import io.jdist.internal.dist.DistMessage;
import io.jdist.internal.dist.DistProtocolException;
import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spawn requests both ways (SPAWN_REQUEST, SPAWN_REPLY): this node's processes spawning on others,
 * and peers spawning here through the node's {@link SpawnService}. The reply's flags say whether the
 * link and the monitor were set up; the request's reference is the monitor's.
 */
public final class SpawnRequests {

    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");
    private static final Atom NOTSUP = Atom.of("notsup");
    private static final int LINKED = 1;
    private static final int MONITORED = 2;

    /** Creates the process that runs a spawn request's {@code M:F(Args)}; supplied by the public node. */
    public interface SpawnService {
        /** Makes the process, not yet running; {@link Spawn#start} runs it. Must not block. */
        Spawn create(Atom module, Atom function, List<Term> args);
    }

    /** A process made for a spawn request. */
    public record Spawn(Pid pid, Runnable start) {
    }

    /** A spawn request failed because its peer could not be reached or went away: noconnection. */
    public static final class NodeDownException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NodeDownException(String message) {
            super(message);
        }
    }

    /** The peer refused a spawn request, with the reply's error atom (such as {@code notsup}, {@code badopt}). */
    public static final class SpawnFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Term reason;

        SpawnFailedException(String message, Term reason) {
            super(message);
            this.reason = reason;
        }

        public Term reason() {
            return reason;
        }
    }

    /** A request of ours waiting for its SPAWN_REPLY. */
    private record Pending(Pid from, String node, CompletableFuture<Pid> reply) {
    }

    private final NodeCore node;
    private final Processes processes;
    private final Map<Ref, Pending> pending = new ConcurrentHashMap<>();
    private volatile SpawnService service;

    SpawnRequests(NodeCore node, Processes processes) {
        this.node = node;
        this.processes = processes;
    }

    public void service(SpawnService service) {
        this.service = service;
    }

    /**
     * Asks {@code nodeName} to spawn {@code M:F(Args)} for {@code from}, with reference {@code
     * reqId}, which is also the monitor's when {@code monitor}. Completes with the new pid once the
     * reply is in and the link and monitor are set up; fails with {@link NodeDownException} or
     * {@link SpawnFailedException}.
     */
    public CompletableFuture<Pid> request(Pid from, String nodeName, Atom module, Atom function, List<Term> args,
            boolean link, boolean monitor, Ref reqId) {
        CompletableFuture<Pid> reply = new CompletableFuture<>();
        if (nodeName.equals(node.name())) {
            try {
                reply.complete(spawnHere(module, function, args, reqId, from, link, monitor));
            } catch (SpawnFailedException e) {
                reply.completeExceptionally(e);
            }
            return reply;
        }
        List<Term> options = new ArrayList<>();
        if (link) {
            options.add(LINK);
        }
        if (monitor) {
            options.add(MONITOR);
        }
        pending.put(reqId, new Pending(from, nodeName, reply));
        Tuple control = Tuple.of(ControlOps.SPAWN_REQUEST, reqId, from, node.groupLeader(),
                Tuple.of(module, function, Int.of(args.size())), ErlList.of(options));
        if (!node.sendControl(nodeName, flags -> DistCodec.encode(control, ErlList.of(args)))) {
            pending.remove(reqId);
            reply.completeExceptionally(new NodeDownException("cannot reach " + nodeName));
        }
        return reply;
    }

    /** SPAWN_REPLY: set up the link and monitor the peer reports, then complete the request. */
    void replyFromPeer(Tuple control) throws DistProtocolException {
        if (!(control.get(1) instanceof Ref reqId) || !(control.get(2) instanceof Pid to)
                || !(control.get(3) instanceof Int flags)) {
            throw new DistProtocolException("malformed SPAWN_REPLY " + control);
        }
        Pending request = pending.remove(reqId);
        if (request == null) {
            return;
        }
        Term result = control.get(4);
        if (!(result instanceof Pid pid)) {
            request.reply.completeExceptionally(new SpawnFailedException("spawn request to " + request.node
                    + " failed: " + result, result));
            return;
        }
        boolean linked = (flags.value() & LINKED) != 0;
        boolean monitored = (flags.value() & MONITORED) != 0;
        ProcessEntry e = processes.entry(to);
        boolean alive = e != null && (!linked || Processes.addLink(e, pid));
        if (alive && monitored) {
            e.lock.lock();
            try {
                alive = e.alive;
                if (alive) {
                    e.monitoring.put(reqId, new ProcessEntry.Monitored(pid, null, null));
                }
            } finally {
                e.lock.unlock();
            }
        }
        if (!alive) {
            // The parent ended while its request was out: undo what the peer set up for it.
            if (linked) {
                processes.sendLinkExit(to, pid, Processes.NOPROC);
            }
            if (monitored) {
                processes.sendDemonitor(to, reqId, new ProcessEntry.Monitored(pid, null, null));
            }
        }
        request.reply.complete(pid);
    }

    /** SPAWN_REQUEST from {@code from}: make the process, set up link and monitor, reply, then run it. */
    void requestFromPeer(Connection c, Pid from, DistMessage message) throws DistProtocolException {
        Tuple control = message.control();
        if (!(control.get(1) instanceof Ref reqId) || !(control.get(4) instanceof Tuple mfa) || mfa.arity() != 3
                || !(mfa.get(0) instanceof Atom module) || !(mfa.get(1) instanceof Atom function)
                || !(control.get(5) instanceof ErlList options) || !(message.payload() instanceof ErlList args)
                || !args.isProper()) {
            throw new DistProtocolException("malformed SPAWN_REQUEST " + control);
        }
        boolean link = false;
        boolean monitor = false;
        for (Term option : options.elements()) {
            link |= option.equals(LINK);
            monitor |= option.equals(MONITOR) || option instanceof Tuple t && t.arity() == 2 && t.get(0).equals(MONITOR);
        }
        SpawnService s = service;
        if (s == null) {
            c.send(DistCodec.encode(Tuple.of(ControlOps.SPAWN_REPLY, reqId, from, Int.of(0), NOTSUP), null));
            return;
        }
        Spawn spawn = s.create(module, function, args.elements());
        ProcessEntry e = processes.entry(spawn.pid());
        int flags = 0;
        if (e != null && link && Processes.addLink(e, from)) {
            flags |= LINKED;
        }
        if (e != null && monitor && Processes.addWatcher(e, reqId, new ProcessEntry.Watcher(from, null))) {
            flags |= MONITORED;
        }
        // The reply goes out before the process runs, so its first signals follow the reply.
        c.send(DistCodec.encode(Tuple.of(ControlOps.SPAWN_REPLY, reqId, from, Int.of(flags), spawn.pid()), null));
        spawn.start().run();
    }

    /** A spawn request for this very node. */
    private Pid spawnHere(Atom module, Atom function, List<Term> args, Ref reqId, Pid from, boolean link,
            boolean monitor) {
        SpawnService s = service;
        if (s == null) {
            throw new SpawnFailedException("this node runs no spawned functions", NOTSUP);
        }
        Spawn spawn = s.create(module, function, args);
        if (link) {
            processes.link(from, spawn.pid());
        }
        if (monitor) {
            processes.monitor(from, spawn.pid(), null, reqId);
        }
        spawn.start().run();
        return spawn.pid();
    }

    /** The connection to {@code peer} is gone: its pending requests fail. */
    void nodeDown(String peer) {
        pending.entrySet().removeIf(p -> {
            if (!p.getValue().node.equals(peer)) {
                return false;
            }
            p.getValue().reply.completeExceptionally(new NodeDownException("connection to " + peer + " went down"));
            return true;
        });
    }

    /** The node is closing: every pending request fails. */
    void closeAll() {
        pending.values().forEach(p -> p.reply.completeExceptionally(
                new NodeDownException("node " + node.name() + " closed")));
        pending.clear();
    }
}
