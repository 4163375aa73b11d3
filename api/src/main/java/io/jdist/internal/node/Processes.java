package io.jdist.internal.node;

import io.jdist.internal.dist.ControlMessages;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The local processes of a node and the signals between processes: links (with OTP's UNLINK_ID
 * protocol), monitors, exit signals and aliases, locally and over distribution. {@link
 * PeerSignals} checks what peers send before it gets here; {@link SpawnRequests} does spawning.
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

    private final NodeCore node;
    private final Map<Pid, ProcessEntry> table = new ConcurrentHashMap<>();
    private final Map<Atom, Pid> names = new ConcurrentHashMap<>();
    private final Map<Ref, Pid> aliases = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicLong nextUnlinkId = new AtomicLong(1);

    Processes(NodeCore node) {
        this.node = node;
    }

    // The process table.

    /** Starts a local process; it lives until {@link #exit} or an exit signal ends it. */
    public Pid spawn(NodeCore.LocalProcess body) {
        Pid pid = new Pid(node.nameAtom(), nextPid.getAndIncrement(), 0, node.creation());
        table.put(pid, new ProcessEntry(pid, body));
        return pid;
    }

    /** The live entry of a pid of this node's current incarnation, or {@code null}. */
    ProcessEntry entry(Pid pid) {
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
        if (entry(pid) == null) {
            // It ended meanwhile, perhaps before its names were cleared: the name must not outlive it.
            names.remove(name, pid);
            throw new IllegalStateException("cannot register " + name + ": " + pid + " is not alive");
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

    void sendLinkExit(Pid from, Pid to, Term reason) {
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
    static boolean addLink(ProcessEntry e, Pid other) {
        return e.ifAlive(() -> {
            ProcessEntry.Link link = e.links.computeIfAbsent(other, p -> new ProcessEntry.Link());
            link.active = true;
            link.unlinkId = 0;
        });
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
        if (!e.ifAlive(() -> e.monitoring.put(ref, target))) {
            return;
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

    static boolean addWatcher(ProcessEntry t, Ref ref, ProcessEntry.Watcher watcher) {
        return t.ifAlive(() -> t.watchers.put(ref, watcher));
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

    void sendDemonitor(Pid self, Ref ref, ProcessEntry.Monitored target) {
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
        e.ifAlive(() -> {
            e.aliases.add(ref);
            aliases.put(ref, self);
        });
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

    // Signals from peers, checked by PeerSignals.

    /** LINK from a remote process: a link to a process that does not exist breaks at once with noproc. */
    void linkFromPeer(Pid from, Pid to) {
        ProcessEntry e = entry(to);
        boolean linked = false;
        if (e != null) {
            e.lock.lock();
            try {
                if (e.alive) {
                    // An existing link, even one being unlinked, stays as it is (OTP's link protocol).
                    e.links.computeIfAbsent(from, p -> new ProcessEntry.Link());
                    linked = true;
                }
            } finally {
                e.lock.unlock();
            }
        }
        if (!linked) {
            sendLinkExit(to, from, NOPROC);
        }
    }

    /** The old UNLINK, or UNLINK_ID ({@code onlyActive}: a link this side is unlinking stays until the ack). */
    void unlinkFromPeer(Pid from, Pid to, boolean onlyActive) {
        removeLinkIf(to, from, link -> link.active || !onlyActive);
    }

    /** UNLINK_ID_ACK: the unlink {@code id} of {@code to} is done, unless a LINK came since. */
    void unlinkAcknowledged(Pid from, Pid to, long id) {
        removeLinkIf(to, from, link -> !link.active && link.unlinkId == id);
    }

    /** Removes {@code to}'s link to {@code from} if it has one that {@code condition} accepts. */
    private void removeLinkIf(Pid to, Pid from, Predicate<ProcessEntry.Link> condition) {
        ProcessEntry e = entry(to);
        if (e == null) {
            return;
        }
        e.lock.lock();
        try {
            ProcessEntry.Link link = e.links.get(from);
            if (link != null && condition.test(link)) {
                e.links.remove(from);
            }
        } finally {
            e.lock.unlock();
        }
    }

    /** An exit signal from a peer: {@code viaLink} for EXIT (a link broke), not for EXIT2 ({@code exit/2}). */
    void exitFromPeer(Pid from, Pid to, Term reason, boolean viaLink) {
        ProcessEntry e = entry(to);
        if (e == null) {
            return;
        }
        if (viaLink) {
            receiveLinkExit(e, from, reason);
        } else {
            receiveExit(e, from, reason, false);
        }
    }

    /** MONITOR_P; {@code false} if the target (a pid or a name) does not exist, which the caller answers. */
    boolean monitorFromPeer(Pid from, Term target, Ref ref) {
        ProcessEntry e = resolve(target);
        return e != null && addWatcher(e, ref, new ProcessEntry.Watcher(from, target instanceof Atom a ? a : null));
    }

    /** DEMONITOR_P. */
    void demonitorFromPeer(Term target, Ref ref) {
        ProcessEntry e = resolve(target);
        if (e != null) {
            e.lock.lock();
            try {
                e.watchers.remove(ref);
            } finally {
                e.lock.unlock();
            }
        }
    }

    /** MONITOR_P_EXIT: the process {@code watcher} monitored ended. */
    void downFromPeer(Pid watcher, Ref ref, Term reason) {
        receiveDown(watcher, ref, reason);
    }

    /** ALIAS_SEND: delivered if the alias is one of this node's and still active. */
    void aliasSendFromPeer(Ref alias, Term message) {
        if (isLocalNode(alias.node())) {
            sendToAlias(null, alias, message);
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
    }

    // Helpers.

    boolean isLocalNode(Atom nodeName) {
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
}
