package io.jdist;

import io.jdist.internal.node.NodeCore;
import io.jdist.internal.node.Processes;
import io.jdist.internal.node.SpawnRequests;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process of a Java node as Erlang code sees it: it has a pid, may have a registered name, and
 * sends and receives messages. Messages from one sender arrive in the order they were sent.
 *
 * <p>It takes part in Erlang's process signals, here and across nodes: it can {@link #link link}
 * to processes and {@link #monitor monitor} them, send exit signals ({@link #exit(Pid, Object)}),
 * be monitored and linked to, and {@link #spawn spawn} processes on other nodes. Its process ends
 * when it is {@link #close(Object) closed} (with {@code normal} or another reason, which its links
 * and monitors then receive) or when an exit signal it does not trap arrives: then receiving throws
 * an {@link ExitException} carrying the reason. With {@link #trapExit(boolean) trapExit(true)},
 * exit signals arrive as {@code {'EXIT', From, Reason}} messages instead, except {@code kill}.
 *
 * <p>Thread-safe. Receiving blocks with a lock and a condition (no {@code synchronized}), so
 * blocked receivers are interruptible and do not pin virtual threads. A closed mailbox drops what
 * is sent to it, as Erlang drops messages to dead processes.
 */
public final class Mailbox implements AutoCloseable {

    private final NodeCore node;
    private static final Atom NORMAL = Atom.of("normal");

    private final Pid self;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Term> queue = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Term>> waiting = new ArrayDeque<>();
    private volatile Atom name;
    private volatile boolean closed;
    private volatile Term exitReason;

    Mailbox(NodeCore node) {
        this.node = node;
        this.self = node.spawn(new NodeCore.LocalProcess() {
            @Override
            public void deliver(Term message) {
                Mailbox.this.deliver(message);
            }

            @Override
            public void terminated(Term reason) {
                end(reason);
            }
        });
    }

    /** This mailbox's pid, which other processes send to. */
    public Pid self() {
        return self;
    }

    /** The registered name, if any. */
    public Optional<String> name() {
        Atom n = name;
        return n == null ? Optional.empty() : Optional.of(n.name());
    }

    /**
     * Registers this mailbox under {@code name}, so that peers can send to {@code {name, node}}.
     *
     * @throws IllegalStateException if the name is taken or this mailbox already has a name
     */
    public void register(String name) {
        Atom atom = Atom.of(name);
        if (this.name != null) {
            throw new IllegalStateException("mailbox " + self + " is already registered as " + this.name);
        }
        node.register(atom, self);
        this.name = atom;
    }

    /** Removes the registered name; {@code false} if there was none. */
    public boolean unregister() {
        Atom n = name;
        name = null;
        return n != null && node.unregister(n, self);
    }

    /** Sends {@code message} (converted by {@link Term#of}) to a process, on this node or another. */
    public void send(Pid to, Object message) {
        node.send(self, to, Term.of(message));
    }

    /** Sends to the process registered as {@code name} on {@code node}: {@code {name, node} ! message}. */
    public void send(String name, String node, Object message) {
        this.node.send(self, Atom.of(name), node, Term.of(message));
    }

    /** Sends to the process registered as {@code name} on this node. */
    public void send(String name, Object message) {
        node.send(self, Atom.of(name), node.name(), Term.of(message));
    }

    /**
     * Waits for the next message.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ExitException if the mailbox is closed, or an exit signal ended its process
     */
    public Term receive() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            checkOpen();
            while (queue.isEmpty()) {
                arrived.await();
                checkOpen();
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for the next message: Erlang's {@code receive ... after}.
     *
     * @return the message, or empty when none came in time
     * @throws InterruptedException if interrupted while waiting
     * @throws ExitException if the mailbox is closed, or an exit signal ended its process
     */
    public Optional<Term> receive(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            checkOpen();
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = arrived.awaitNanos(nanos);
                checkOpen();
            }
            return Optional.of(queue.poll());
        } finally {
            lock.unlock();
        }
    }

    /** The next message if one is waiting, without blocking. */
    public Optional<Term> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(queue.poll());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message, delivered without blocking a thread: the future completes when it arrives
     * (on the thread that delivers it), or fails with {@link ExitException} when the
     * mailbox closes first. Futures are served in the order they were asked for, before {@link
     * #receive()} callers.
     */
    public CompletableFuture<Term> receiveAsync() {
        lock.lock();
        try {
            Term next = queue.poll();
            if (next != null) {
                return CompletableFuture.completedFuture(next);
            }
            CompletableFuture<Term> future = new CompletableFuture<>();
            if (closed) {
                future.completeExceptionally(closedException());
            } else {
                waiting.add(future);
            }
            return future;
        } finally {
            lock.unlock();
        }
    }

    /** The number of messages waiting. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void deliver(Term message) {
        CompletableFuture<Term> future;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            future = waiting.poll();
            while (future != null && future.isDone()) {
                future = waiting.poll();
            }
            if (future == null) {
                queue.add(message);
                arrived.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        future.complete(message);
    }

    /**
     * Closes the mailbox with reason {@code normal}: its pid and name stop receiving, blocked
     * receivers fail, linked processes get an exit signal and monitors fire with {@code normal}.
     * Idempotent.
     */
    @Override
    public void close() {
        close(NORMAL);
    }

    /**
     * Ends this mailbox's process with {@code reason} (converted by {@link Term#of}), as a process
     * exits: links get an exit signal with it (one that is not {@code normal} ends linked processes
     * that do not trap exits) and monitors a {@code 'DOWN'} message. Does nothing if already closed.
     */
    public void close(Object reason) {
        Term why = Term.of(reason);
        if (end(why)) {
            node.exit(self, why);
        }
    }

    /** Marks the mailbox closed with {@code reason} and wakes its receivers; {@code false} if it was already. */
    private boolean end(Term reason) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            exitReason = reason;
            closed = true;
            queue.clear();
            arrived.signalAll();
            for (CompletableFuture<Term> future : waiting) {
                future.completeExceptionally(closedException());
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
        name = null;
        return true;
    }

    /** Whether the mailbox's process is still alive: not closed, not ended by an exit signal. */
    public boolean isOpen() {
        return !closed;
    }

    // Signals: links, monitors, exits.

    /**
     * Links this process to {@code other}, on this node or another: when either ends, the other
     * gets an exit signal. Linking to a process that does not exist gives an exit signal with
     * {@code noproc}; to one on a node that cannot be reached, {@code noconnection}.
     */
    public void link(Pid other) {
        processes().link(self, other);
    }

    /** Removes the link to {@code other}, if any (OTP's UNLINK_ID protocol across nodes). */
    public void unlink(Pid other) {
        processes().unlink(self, other);
    }

    /**
     * Monitors {@code pid}: when it ends, this mailbox receives {@code {'DOWN', Ref, process, Pid,
     * Reason}}, at once with {@code noproc} if it does not exist, and with {@code noconnection} if
     * the connection to its node goes down.
     *
     * @return the monitor's reference, as in the {@code 'DOWN'} message
     */
    public Ref monitor(Pid pid) {
        return processes().monitor(self, pid);
    }

    /**
     * Monitors the process registered as {@code name} on {@code node}: {@code monitor(process,
     * {Name, Node})}. The {@code 'DOWN'} message names it as {@code {Name, Node}}; {@code noproc}
     * comes at once when no process has the name.
     */
    public Ref monitor(String name, String node) {
        return processes().monitor(self, Atom.of(name), node);
    }

    /** Removes the monitor {@code ref}; {@code false} if this mailbox no longer holds it. */
    public boolean demonitor(Ref ref) {
        return processes().demonitor(self, ref);
    }

    /**
     * Sends {@code pid} an exit signal: {@code exit(Pid, Reason)}. {@code kill} ends any process,
     * with reason {@code killed}; {@code normal} ends none that is not this one; any other reason
     * ends a process that does not trap exits.
     */
    public void exit(Pid pid, Object reason) {
        processes().exitSignal(self, pid, Term.of(reason));
    }

    /**
     * Whether exit signals arrive as {@code {'EXIT', From, Reason}} messages ({@code true}) or end
     * this mailbox's process ({@code false}, the default): Erlang's {@code process_flag(trap_exit,
     * Flag)}.
     */
    public void trapExit(boolean trap) {
        processes().trapExit(self, trap);
    }

    // Aliases.

    /** A new alias of this mailbox: messages sent to it arrive here until {@link #unalias}. */
    public Ref alias() {
        return processes().alias(self);
    }

    /** Deactivates an alias of this mailbox; {@code false} if it was not one. */
    public boolean unalias(Ref alias) {
        return processes().unalias(self, alias);
    }

    /** Sends to an alias ({@code Alias ! Message}), such as the tag of a {@code gen_server} call. */
    public void send(Ref alias, Object message) {
        processes().sendToAlias(self, alias, Term.of(message));
    }

    // Spawning on other nodes.

    /**
     * Spawns {@code module:function(args)} on {@code node} (a spawn request) and returns the new
     * pid once the node has answered: Elixir's {@code Node.spawn(node, M, F, A)}. The process's
     * output goes to this node's log ({@code io.jdist.io}).
     *
     * @throws NoConnectionException if the node cannot be reached
     * @throws CallException if the node refuses, with its reason (such as {@code notsup})
     */
    public Pid spawn(String node, String module, String function, List<?> args) throws InterruptedException {
        return spawnRequest(node, module, function, args, false, false, this.node.newRef());
    }

    /** {@link #spawn}, linked to this mailbox's process: {@code spawn_link/4}. */
    public Pid spawnLink(String node, String module, String function, List<?> args) throws InterruptedException {
        return spawnRequest(node, module, function, args, true, false, this.node.newRef());
    }

    /** {@link #spawn}, monitored by this mailbox's process: {@code spawn_monitor/4}. */
    public Spawned spawnMonitor(String node, String module, String function, List<?> args)
            throws InterruptedException {
        Ref ref = this.node.newRef();
        return new Spawned(spawnRequest(node, module, function, args, false, true, ref), ref);
    }

    private Pid spawnRequest(String node, String module, String function, List<?> args, boolean link,
            boolean monitor, Ref ref) throws InterruptedException {
        String what = "spawn of " + module + ":" + function + "/" + args.size() + " on " + node;
        try {
            if (!node.equals(this.node.name())) {
                long flags = this.node.negotiatedFlags(node).get();
                if ((flags & io.jdist.internal.handshake.DistFlags.SPAWN) == 0) {
                    throw new CallException(what + ": the node does not take spawn requests", Atom.of("notsup"));
                }
            }
            return this.node.spawns().request(self, node, Atom.of(module), Atom.of(function),
                    args.stream().map(Term::of).toList(), link, monitor, ref).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SpawnRequests.SpawnFailedException failed) {
                throw new CallException(what + " failed: " + failed.reason(), failed.reason());
            }
            throw new NoConnectionException(what + " failed: " + e.getCause().getMessage());
        }
    }

    private Processes processes() {
        return node.processes();
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private ExitException closedException() {
        return new ExitException(self, exitReason != null ? exitReason : NORMAL);
    }

    @Override
    public String toString() {
        return "Mailbox[" + self + (name != null ? " registered as " + name : "") + "]";
    }
}
