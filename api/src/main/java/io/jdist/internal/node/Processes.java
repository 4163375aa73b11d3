package io.jdist.internal.node;

import io.jdist.internal.dist.ControlMessages;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local processes of a node and the signals between processes: links (with OTP's UNLINK_ID
 * protocol), monitors, exit signals, aliases and spawn requests, locally and over distribution.
 *
 * <p>Signals arriving from peers are handled on the connection's carrier thread: nothing here
 * blocks, and a process's lock is only held for short updates of its own state.
 */
public final class Processes {

    private static final System.Logger LOG = System.getLogger("io.jdist.process");

    static final Atom NORMAL = Atom.of("normal");
    static final Atom KILL = Atom.of("kill");
    static final Atom KILLED = Atom.of("killed");
    static final Atom NOPROC = Atom.of("noproc");
    static final Atom NOCONNECTION = Atom.of("noconnection");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom PROCESS = Atom.of("process");
    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");
    private static final Atom NOTSUP = Atom.of("notsup");

    /** Creates the process that runs a spawn request's {@code M:F(Args)}; supplied by the public node. */
    public interface SpawnService {
        /** Makes the process, not yet running; {@link Spawn#start} runs it. Must not block. */
        Spawn create(Atom module, Atom function, List<Term> args);
    }

    /** A process made for a spawn request. */
    public record Spawn(Pid pid, Runnable start) {
    }

    /** A spawn request of ours waiting for its SPAWN_REPLY. */
    private record PendingSpawn(Pid from, String node, CompletableFuture<Pid> reply) {
    }

    private final NodeCore node;
    private final Map<Pid, ProcessEntry> table = new ConcurrentHashMap<>();
    private final Map<Atom, Pid> names = new ConcurrentHashMap<>();
    private final Map<Ref, Pid> aliases = new ConcurrentHashMap<>();
    private final Map<Ref, PendingSpawn> spawns = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicLong nextUnlinkId = new AtomicLong(1);
    private volatile SpawnService spawnService;

    Processes(NodeCore node) {
        this.node = node;
    }

    public void spawnService(SpawnService service) {
        this.spawnService = service;
    }

    // The process table.

    /** Starts a local process; it lives until {@link #exit} or an exit signal ends it. */
    public Pid spawn(NodeCore.LocalProcess body) {
        Pid pid = new Pid(node.nameAtom(), nextPid.getAndIncrement(), 0, node.creation());
        table.put(pid, new ProcessEntry(pid, body));
        return pid;
    }

    /** The live entry of a pid of this node's current incarnation, or {@code null}. */
    private ProcessEntry entry(Pid pid) {
        return pid.node().equals(node.nameAtom()) && pid.creation() == node.creation() ? table.get(pid) : null;
    }

    public boolean isAlive(Pid pid) {
        return entry(pid) != null;
    }

    void register(Atom name, Pid pid) {
        if (entry(pid) == null) {
            throw new IllegalStateException("cannot register " + name + ": " + pid + " is not alive");
        }
        Pid existing = names.putIfAbsent(name, pid);
        if (existing != null && !existing.equals(pid)) {
            throw new IllegalStateException("the name " + name + " is already registered to " + existing);
        }
    }

    boolean unregister(Atom name, Pid pid) {
        return names.remove(name, pid);
    }

    Optional<Pid> whereis(Atom name) {
        return Optional.ofNullable(names.get(name));
    }

    /** Delivers a message to a local pid; dropped if no such process lives, as in Erlang. */
    void deliver(Pid to, Term message) {
        ProcessEntry e = entry(to);
        if (e != null) {
            e.body.deliver(message);
        }
    }

    void deliverToName(Atom name, Term message) {
        Pid to = names.get(name);
        if (to != null) {
            deliver(to, message);
        }
    }

    // Ending processes.

    /** Ends a local process with {@code reason}: its links get exit signals, its watchers 'DOWN'. */
    public void exit(Pid pid, Term reason) {
        ProcessEntry e = entry(pid);
        if (e != null) {
            terminate(e, reason, false);
        }
    }

    /**
     * Ends {@code e}. {@code tellBody} when the end comes from a signal, so that the process's owner
     * (a mailbox) learns of it; not when the owner itself asked.
     */
    private void terminate(ProcessEntry e, Term reason, boolean tellBody) {
        List<Pid> linked = new ArrayList<>();
        List<Map.Entry<Ref, ProcessEntry.Watcher>> watchers;
        List<Map.Entry<Ref, ProcessEntry.Monitored>> monitoring;
        List<Ref> ownAliases;
        e.lock.lock();
        try {
            if (!e.alive) {
                return;
            }
            e.alive = false;
            e.links.forEach((pid, link) -> {
                if (link.active) {
                    linked.add(pid);
                }
            });
            e.links.clear();
            watchers = new ArrayList<>(e.watchers.entrySet());
            e.watchers.clear();
            monitoring = new ArrayList<>(e.monitoring.entrySet());
            e.monitoring.clear();
            ownAliases = new ArrayList<>(e.aliases);
            e.aliases.clear();
        } finally {
            e.lock.unlock();
        }
        table.remove(e.pid);
        names.values().removeIf(e.pid::equals);
        ownAliases.forEach(aliases::remove);
        if (tellBody) {
            try {
                e.body.terminated(reason);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "process " + e.pid + " failed to note its exit", ex);
            }
        }
        for (Map.Entry<Ref, ProcessEntry.Monitored> m : monitoring) {
            sendDemonitor(e.pid, m.getKey(), m.getValue());
        }
        for (Pid other : linked) {
            sendLinkExit(e.pid, other, reason);
        }
        for (Map.Entry<Ref, ProcessEntry.Watcher> w : watchers) {
            sendDown(e.pid, w.getValue(), w.getKey(), reason);
        }
    }

    /** Ends every process quietly, for a closing node: blocked receivers learn of it, peers do not. */
    void closeAll(Term reason) {
        for (ProcessEntry e : new ArrayList<>(table.values())) {
            e.lock.lock();
            try {
                e.alive = false;
            } finally {
                e.lock.unlock();
            }
            try {
                e.body.terminated(reason);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.DEBUG, "process " + e.pid + " failed to note the node's close", ex);
            }
        }
        table.clear();
        names.clear();
        aliases.clear();
        spawns.values().forEach(p -> p.reply.completeExceptionally(
                new NodeDownException("node " + node.name() + " closed")));
        spawns.clear();
    }

    /** A spawn request or call failed because its peer went away; the public API maps it to noconnection. */
    public static final class NodeDownException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NodeDownException(String message) {
            super(message);
        }
    }

    /** Failed spawn request: the reply's error atom (such as {@code notsup}, {@code badopt}). */
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

    // Exit signals.

    public void trapExit(Pid pid, boolean trap) {
        ProcessEntry e = entry(pid);
        if (e != null) {
            e.trapExit = trap;
        }
    }

    /** {@code exit(To, Reason)} sent by {@code from}. */
    public void exitSignal(Pid from, Pid to, Term reason) {
        if (isLocalNode(to.node())) {
            ProcessEntry e = entry(to);
            if (e != null) {
                receiveExit(e, from, reason, false);
            }
            return;
        }
        node.sendControl(to.node().name(), flags -> ControlMessages.exit2(flags, from, to, reason));
    }

    /** An exit signal reaching a local process, by Erlang's rules. {@code viaLink}: sent because a link broke. */
    private void receiveExit(ProcessEntry e, Pid from, Term reason, boolean viaLink) {
        if (!viaLink && reason.equals(KILL)) {
            terminate(e, KILLED, true);
        } else if (e.trapExit) {
            e.body.deliver(Tuple.of(EXIT, from, reason));
        } else if (!reason.equals(NORMAL)) {
            terminate(e, reason, true);
        } else if (!viaLink && from.equals(e.pid)) {
            terminate(e, reason, true);
        }
    }

    /** A link to {@code from} broke with {@code reason}: acted on only if the link is active. */
    private void receiveLinkExit(ProcessEntry e, Pid from, Term reason) {
        e.lock.lock();
        try {
            ProcessEntry.Link link = e.links.get(from);
            if (link == null || !link.active) {
                return;
            }
            e.links.remove(from);
        } finally {
            e.lock.unlock();
        }
        receiveExit(e, from, reason, true);
    }

    private void sendLinkExit(Pid from, Pid to, Term reason) {
        if (isLocalNode(to.node())) {
            ProcessEntry e = entry(to);
            if (e != null) {
                receiveLinkExit(e, from, reason);
            }
            return;
        }
        node.sendControl(to.node().name(), flags -> ControlMessages.linkExit(flags, from, to, reason));
    }

    // Links.

    /** {@code link(Other)} by {@code self}. A dead or unreachable process answers with an exit signal. */
    public void link(Pid self, Pid other) {
        ProcessEntry e = entry(self);
        if (e == null || other.equals(self)) {
            return;
        }
        if (isLocalNode(other.node())) {
            ProcessEntry o = entry(other);
            if (o == null || !addLink(o, self)) {
                receiveExit(e, other, NOPROC, false);
                return;
            }
            addLink(e, other);
            return;
        }
        addLink(e, other);
        if (!node.sendControl(other.node().name(), flags -> ControlMessages.link(self, other))) {
            receiveLinkExit(e, other, NOCONNECTION);
        }
    }

    /** Adds or reactivates a link; {@code false} if the process has ended. */
    private static boolean addLink(ProcessEntry e, Pid other) {
        e.lock.lock();
        try {
            if (!e.alive) {
                return false;
            }
            ProcessEntry.Link link = e.links.computeIfAbsent(other, p -> new ProcessEntry.Link());
            link.active = true;
            link.unlinkId = 0;
            return true;
        } finally {
            e.lock.unlock();
        }
    }

    /** {@code unlink(Other)} by {@code self}: remote links go through UNLINK_ID and its acknowledgement. */
    public void unlink(Pid self, Pid other) {
        ProcessEntry e = entry(self);
        if (e == null) {
            return;
        }
        if (isLocalNode(other.node())) {
            removeLink(e, other);
            ProcessEntry o = entry(other);
            if (o != null) {
                removeLink(o, self);
            }
            return;
        }
        long id;
        e.lock.lock();
        try {
            ProcessEntry.Link link = e.links.get(other);
            if (link == null || !link.active) {
                return;
            }
            id = nextUnlinkId.getAndIncrement();
            link.active = false;
            link.unlinkId = id;
        } finally {
            e.lock.unlock();
        }
        boolean sent = node.sendControl(other.node().name(), flags -> ControlMessages.unlinkId(id, self, other));
        if (!sent) {
            removeLink(e, other);
        }
    }

    private static void removeLink(ProcessEntry e, Pid other) {
        e.lock.lock();
        try {
            e.links.remove(other);
        } finally {
            e.lock.unlock();
        }
    }

    // Monitors.

    /** {@code monitor(process, Pid)}: a new reference; 'DOWN' comes at once for a dead process. */
    public Ref monitor(Pid self, Pid target) {
        Ref ref = node.newRef();
        monitor(self, new ProcessEntry.Monitored(target, null, null), ref);
        return ref;
    }

    /** {@code monitor(process, {Name, Node})}. */
    public Ref monitor(Pid self, Atom name, String nodeName) {
        Ref ref = node.newRef();
        monitor(self, new ProcessEntry.Monitored(null, name, Atom.of(nodeName)), ref);
        return ref;
    }

    /** Monitors with a reference of the caller's choosing (calls use it as their alias too). */
    void monitor(Pid self, Term target, String nodeName, Ref ref) {
        monitor(self, target instanceof Pid pid ? new ProcessEntry.Monitored(pid, null, null)
                : new ProcessEntry.Monitored(null, (Atom) target, Atom.of(nodeName)), ref);
    }

    private void monitor(Pid self, ProcessEntry.Monitored target, Ref ref) {
        ProcessEntry e = entry(self);
        if (e == null) {
            return;
        }
        e.lock.lock();
        try {
            if (!e.alive) {
                return;
            }
            e.monitoring.put(ref, target);
        } finally {
            e.lock.unlock();
        }
        if (isLocalNode(target.targetNode())) {
            ProcessEntry t = target.pid() != null ? entry(target.pid()) : Optional.ofNullable(names.get(target.name()))
                    .map(this::entry).orElse(null);
            if (t == null || !addWatcher(t, ref, new ProcessEntry.Watcher(self, target.name()))) {
                receiveDown(self, ref, NOPROC);
            }
            return;
        }
        if (!node.sendControl(target.targetNode().name(),
                flags -> ControlMessages.monitor(self, target.wireTarget(), ref))) {
            receiveDown(self, ref, NOCONNECTION);
        }
    }

    private static boolean addWatcher(ProcessEntry t, Ref ref, ProcessEntry.Watcher watcher) {
        t.lock.lock();
        try {
            if (!t.alive) {
                return false;
            }
            t.watchers.put(ref, watcher);
            return true;
        } finally {
            t.lock.unlock();
        }
    }

    /** {@code demonitor(Ref)}; {@code false} if {@code self} holds no such monitor (any more). */
    public boolean demonitor(Pid self, Ref ref) {
        ProcessEntry e = entry(self);
        if (e == null) {
            return false;
        }
        ProcessEntry.Monitored target;
        e.lock.lock();
        try {
            target = e.monitoring.remove(ref);
        } finally {
            e.lock.unlock();
        }
        if (target == null) {
            return false;
        }
        sendDemonitor(self, ref, target);
        return true;
    }

    private void sendDemonitor(Pid self, Ref ref, ProcessEntry.Monitored target) {
        if (isLocalNode(target.targetNode())) {
            ProcessEntry t = target.pid() != null ? entry(target.pid())
                    : Optional.ofNullable(names.get(target.name())).map(this::entry).orElse(null);
            if (t != null) {
                t.lock.lock();
                try {
                    t.watchers.remove(ref);
                } finally {
                    t.lock.unlock();
                }
            }
            return;
        }
        // Never dial just to take a monitor back: without a connection there is none to take back.
        node.sendControlIfConnected(target.targetNode().name(),
                flags -> ControlMessages.demonitor(self, target.wireTarget(), ref));
    }

    /** The monitored process ended: 'DOWN' to a local watcher, MONITOR_P_EXIT to a remote one. */
    private void sendDown(Pid self, ProcessEntry.Watcher watcher, Ref ref, Term reason) {
        if (isLocalNode(watcher.pid().node())) {
            receiveDown(watcher.pid(), ref, reason);
            return;
        }
        Term from = watcher.name() != null ? watcher.name() : self;
        node.sendControlIfConnected(watcher.pid().node().name(),
                flags -> ControlMessages.monitorExit(flags, from, watcher.pid(), ref, reason));
    }

    /** Delivers 'DOWN' for the monitor {@code ref} of {@code watcher}, if it still holds it. */
    private void receiveDown(Pid watcher, Ref ref, Term reason) {
        ProcessEntry e = entry(watcher);
        if (e == null) {
            return;
        }
        ProcessEntry.Monitored target;
        e.lock.lock();
        try {
            target = e.monitoring.remove(ref);
        } finally {
            e.lock.unlock();
        }
        if (target != null) {
            e.body.deliver(Tuple.of(DOWN, ref, PROCESS, target.item(), reason));
        }
    }

    // Aliases.

    /** A new alias of {@code self}: messages sent to it reach {@code self} until {@link #unalias}. */
    public Ref alias(Pid self) {
        Ref ref = node.newRef();
        alias(self, ref);
        return ref;
    }

    void alias(Pid self, Ref ref) {
        ProcessEntry e = entry(self);
        if (e == null) {
            return;
        }
        e.lock.lock();
        try {
            if (!e.alive) {
                return;
            }
            e.aliases.add(ref);
            aliases.put(ref, self);
        } finally {
            e.lock.unlock();
        }
    }

    public boolean unalias(Pid self, Ref ref) {
        ProcessEntry e = entry(self);
        if (e == null) {
            return false;
        }
        e.lock.lock();
        try {
            return e.aliases.remove(ref) && aliases.remove(ref, self);
        } finally {
            e.lock.unlock();
        }
    }

    /** Sends to an alias (ALIAS_SEND when it is another node's). */
    public void sendToAlias(Pid from, Ref alias, Term message) {
        if (isLocalNode(alias.node())) {
            Pid to = alias.creation() == node.creation() ? aliases.get(alias) : null;
            if (to != null) {
                deliver(to, message);
            }
            return;
        }
        node.sendControl(alias.node().name(), flags -> ControlMessages.aliasSend(from, alias, message));
    }

    // Spawn requests.

    /**
     * Asks {@code nodeName} to spawn {@code M:F(Args)} for {@code from}: SPAWN_REQUEST with reference
     * {@code reqId}, which is also the monitor's reference when {@code monitor}. Completes with the
     * new pid once the reply is in and the link and monitor are set up.
     */
    public CompletableFuture<Pid> spawnRequest(Pid from, String nodeName, Atom module, Atom function,
            List<Term> args, boolean link, boolean monitor, Ref reqId) {
        CompletableFuture<Pid> reply = new CompletableFuture<>();
        List<Term> options = new ArrayList<>();
        if (link) {
            options.add(LINK);
        }
        if (monitor) {
            options.add(MONITOR);
        }
        if (nodeName.equals(node.name())) {
            Pid pid = spawnHere(module, function, args, reqId, from, link, monitor);
            reply.complete(pid);
            return reply;
        }
        spawns.put(reqId, new PendingSpawn(from, nodeName, reply));
        Tuple control = Tuple.of(ControlOps.SPAWN_REQUEST, reqId, from, node.groupLeader(),
                Tuple.of(module, function, Int.of(args.size())), ErlList.of(options));
        boolean sent = node.sendControl(nodeName, flags -> DistCodec.encode(control, ErlList.of(args)));
        if (!sent) {
            spawns.remove(reqId);
            reply.completeExceptionally(new NodeDownException("cannot reach " + nodeName));
        }
        return reply;
    }

    private void receiveSpawnReply(Tuple control) throws DistProtocolException {
        if (!(control.get(1) instanceof Ref reqId) || !(control.get(2) instanceof Pid to)
                || !(control.get(3) instanceof Int flags)) {
            throw new DistProtocolException("malformed SPAWN_REPLY " + control);
        }
        PendingSpawn pending = spawns.remove(reqId);
        if (pending == null) {
            return;
        }
        Term result = control.get(4);
        if (!(result instanceof Pid pid)) {
            pending.reply.completeExceptionally(new SpawnFailedException("spawn request to " + pending.node
                    + " failed: " + result, result));
            return;
        }
        boolean linked = (flags.value() & 1) != 0;
        boolean monitored = (flags.value() & 2) != 0;
        ProcessEntry e = entry(to);
        boolean alive = e != null && (!linked || addLink(e, pid));
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
            // The parent ended while the request was out: undo what the peer set up for it.
            if (linked) {
                sendLinkExit(to, pid, NOPROC);
            }
            if (monitored) {
                sendDemonitor(to, reqId, new ProcessEntry.Monitored(pid, null, null));
            }
        }
        pending.reply.complete(pid);
    }

    /** A peer's SPAWN_REQUEST: make the process, set up link and monitor, reply, then run it. */
    private void receiveSpawnRequest(DistMessage message) throws DistProtocolException {
        Tuple control = message.control();
        if (!(control.get(1) instanceof Ref reqId) || !(control.get(2) instanceof Pid from)
                || !(control.get(4) instanceof Tuple mfa) || mfa.arity() != 3
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
        SpawnService service = spawnService;
        if (service == null) {
            node.sendControl(from.node().name(), flags -> DistCodec.encode(
                    Tuple.of(ControlOps.SPAWN_REPLY, reqId, from, Int.of(0), NOTSUP), null));
            return;
        }
        Spawn spawn = service.create(module, function, args.elements());
        ProcessEntry e = entry(spawn.pid());
        int flags = 0;
        if (e != null && link && addLink(e, from)) {
            flags |= 1;
        }
        if (e != null && monitor && addWatcher(e, reqId, new ProcessEntry.Watcher(from, null))) {
            flags |= 2;
        }
        int replyFlags = flags;
        node.sendControl(from.node().name(), f -> DistCodec.encode(
                Tuple.of(ControlOps.SPAWN_REPLY, reqId, from, Int.of(replyFlags), spawn.pid()), null));
        spawn.start().run();
    }

    /** A spawn request for this very node. */
    private Pid spawnHere(Atom module, Atom function, List<Term> args, Ref reqId, Pid from, boolean link,
            boolean monitor) {
        SpawnService service = spawnService;
        if (service == null) {
            throw new SpawnFailedException("this node runs no spawned functions", NOTSUP);
        }
        Spawn spawn = service.create(module, function, args);
        if (link) {
            link(from, spawn.pid());
        }
        if (monitor) {
            monitor(from, spawn.pid(), null, reqId);
        }
        spawn.start().run();
        return spawn.pid();
    }

    // Signals from peers.

    /** Handles every control message but the sends, which {@link NodeCore} handles. */
    void dispatch(Connection c, DistMessage message) throws DistProtocolException {
        Tuple control = message.control();
        switch (message.op()) {
            case ControlOps.LINK -> {
                Pid from = remotePid(c, control.get(1), "LINK");
                Pid to = localPid(control.get(2), "LINK");
                ProcessEntry e = entry(to);
                if (e == null || !addLinkIfAbsent(e, from)) {
                    sendLinkExit(to, from, NOPROC);
                }
            }
            case ControlOps.UNLINK -> {
                ProcessEntry e = entry(localPid(control.get(2), "UNLINK"));
                if (e != null) {
                    removeLink(e, remotePid(c, control.get(1), "UNLINK"));
                }
            }
            case ControlOps.UNLINK_ID -> {
                Term id = control.get(1);
                Pid from = remotePid(c, control.get(2), "UNLINK_ID");
                Pid to = localPid(control.get(3), "UNLINK_ID");
                ProcessEntry e = entry(to);
                if (e != null) {
                    e.lock.lock();
                    try {
                        ProcessEntry.Link link = e.links.get(from);
                        if (link != null && link.active) {
                            e.links.remove(from);
                        }
                    } finally {
                        e.lock.unlock();
                    }
                }
                c.send(ControlMessages.unlinkIdAck(id, to, from));
            }
            case ControlOps.UNLINK_ID_ACK -> {
                Pid from = remotePid(c, control.get(2), "UNLINK_ID_ACK");
                ProcessEntry e = entry(localPid(control.get(3), "UNLINK_ID_ACK"));
                long id = unlinkId(control.get(1));
                if (e != null) {
                    e.lock.lock();
                    try {
                        ProcessEntry.Link link = e.links.get(from);
                        if (link != null && !link.active && link.unlinkId == id) {
                            e.links.remove(from);
                        }
                    } finally {
                        e.lock.unlock();
                    }
                }
            }
            case ControlOps.EXIT, ControlOps.EXIT_TT, ControlOps.PAYLOAD_EXIT, ControlOps.PAYLOAD_EXIT_TT -> {
                Pid from = remotePid(c, control.get(1), "EXIT");
                ProcessEntry e = entry(localPid(control.get(2), "EXIT"));
                if (e != null) {
                    receiveLinkExit(e, from, reason(message));
                }
            }
            case ControlOps.EXIT2, ControlOps.EXIT2_TT, ControlOps.PAYLOAD_EXIT2, ControlOps.PAYLOAD_EXIT2_TT -> {
                Pid from = remotePid(c, control.get(1), "EXIT2");
                ProcessEntry e = entry(localPid(control.get(2), "EXIT2"));
                if (e != null) {
                    receiveExit(e, from, reason(message), false);
                }
            }
            case ControlOps.MONITOR_P -> receiveMonitor(c, control);
            case ControlOps.DEMONITOR_P -> {
                remotePid(c, control.get(1), "DEMONITOR_P");
                ProcessEntry e = resolve(control.get(2));
                if (e != null && control.get(3) instanceof Ref ref) {
                    e.lock.lock();
                    try {
                        e.watchers.remove(ref);
                    } finally {
                        e.lock.unlock();
                    }
                }
            }
            case ControlOps.MONITOR_P_EXIT, ControlOps.PAYLOAD_MONITOR_P_EXIT -> {
                if (!(control.get(3) instanceof Ref ref)) {
                    throw new DistProtocolException("MONITOR_P_EXIT without a reference: " + control);
                }
                receiveDown(localPid(control.get(2), "MONITOR_P_EXIT"), ref, reason(message));
            }
            case ControlOps.ALIAS_SEND, ControlOps.ALIAS_SEND_TT -> {
                if (!(control.get(2) instanceof Ref alias)) {
                    throw new DistProtocolException("ALIAS_SEND to a non-reference " + control.get(2));
                }
                if (isLocalNode(alias.node())) {
                    sendToAlias(null, alias, message.payload());
                }
            }
            case ControlOps.SPAWN_REQUEST, ControlOps.SPAWN_REQUEST_TT -> receiveSpawnRequest(message);
            case ControlOps.SPAWN_REPLY, ControlOps.SPAWN_REPLY_TT -> receiveSpawnReply(control);
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring control message {0} from {1}", control,
                    c.peerName());
        }
    }

    private void receiveMonitor(Connection c, Tuple control) throws DistProtocolException {
        Pid from = remotePid(c, control.get(1), "MONITOR_P");
        Term target = control.get(2);
        if (!(control.get(3) instanceof Ref ref) || !(target instanceof Pid || target instanceof Atom)) {
            throw new DistProtocolException("malformed MONITOR_P " + control);
        }
        ProcessEntry e = resolve(target);
        Atom name = target instanceof Atom a ? a : null;
        if (e == null || !addWatcher(e, ref, new ProcessEntry.Watcher(from, name))) {
            // Monitoring what does not exist gives 'DOWN' with noproc at once, as in Erlang.
            c.send(ControlMessages.monitorExit(c.negotiatedFlags(), target, from, ref, NOPROC));
        }
    }

    private static boolean addLinkIfAbsent(ProcessEntry e, Pid other) {
        e.lock.lock();
        try {
            if (!e.alive) {
                return false;
            }
            e.links.computeIfAbsent(other, p -> new ProcessEntry.Link());
            return true;
        } finally {
            e.lock.unlock();
        }
    }

    /** The connection to {@code peer} is gone: links across it break with noconnection, monitors fire. */
    void nodeDown(String peer) {
        Atom peerAtom = Atom.of(peer);
        for (ProcessEntry e : new ArrayList<>(table.values())) {
            List<Pid> broken = new ArrayList<>();
            List<Ref> down = new ArrayList<>();
            e.lock.lock();
            try {
                e.links.entrySet().removeIf(l -> {
                    if (!l.getKey().node().equals(peerAtom)) {
                        return false;
                    }
                    if (l.getValue().active) {
                        broken.add(l.getKey());
                    }
                    return true;
                });
                e.monitoring.forEach((ref, m) -> {
                    if (m.targetNode().equals(peerAtom)) {
                        down.add(ref);
                    }
                });
                e.watchers.values().removeIf(w -> w.pid().node().equals(peerAtom));
            } finally {
                e.lock.unlock();
            }
            for (Ref ref : down) {
                receiveDown(e.pid, ref, NOCONNECTION);
            }
            for (Pid other : broken) {
                receiveExit(e, other, NOCONNECTION, true);
            }
        }
        spawns.entrySet().removeIf(p -> {
            if (!p.getValue().node.equals(peer)) {
                return false;
            }
            p.getValue().reply.completeExceptionally(new NodeDownException("connection to " + peer + " went down"));
            return true;
        });
    }

    // Helpers.

    private boolean isLocalNode(Atom nodeName) {
        return nodeName.equals(node.nameAtom());
    }

    private ProcessEntry resolve(Term target) {
        if (target instanceof Pid pid) {
            return entry(pid);
        }
        if (target instanceof Atom name) {
            Pid pid = names.get(name);
            return pid == null ? null : entry(pid);
        }
        return null;
    }

    private static Term reason(DistMessage message) {
        return ControlMessages.reason(message);
    }

    /** The sender of a signal: it must be a pid of the peer of this very connection, as OTP requires. */
    private static Pid remotePid(Connection c, Term term, String op) throws DistProtocolException {
        if (!(term instanceof Pid pid) || !pid.node().name().equals(c.peerName())) {
            throw new DistProtocolException(op + " from " + c.peerName() + " names the sender " + term
                    + ", which is not a pid of that node");
        }
        return pid;
    }

    private Pid localPid(Term term, String op) throws DistProtocolException {
        if (!(term instanceof Pid pid)) {
            throw new DistProtocolException(op + " to a non-pid " + term);
        }
        return pid;
    }

    private static long unlinkId(Term id) throws DistProtocolException {
        if (id instanceof Int i) {
            return i.value();
        }
        if (id instanceof io.jdist.term.BigInt) {
            return -1; // never one of ours: this node numbers its unlinks from 1
        }
        throw new DistProtocolException("UNLINK_ID_ACK with a non-integer id " + id);
    }
}
