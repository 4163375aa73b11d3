package io.jdist;

import io.jdist.internal.node.NodeCore;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process of a Java node as Erlang code sees it: it has a pid, may have a registered name, and
 * sends and receives messages. Messages from one sender arrive in the order they were sent.
 *
 * <p>Thread-safe. Receiving blocks with a lock and a condition (no {@code synchronized}), so
 * blocked receivers are interruptible and do not pin virtual threads. A closed mailbox drops what
 * is sent to it, as Erlang drops messages to dead processes.
 */
public final class Mailbox implements AutoCloseable {

    private final NodeCore node;
    private final Pid self;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Term> queue = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Term>> waiting = new ArrayDeque<>();
    private volatile Atom name;
    private volatile boolean closed;

    Mailbox(NodeCore node) {
        this.node = node;
        this.self = node.spawn(this::deliver);
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
     * @throws IllegalStateException if the mailbox is closed
     */
    public Term receive() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                checkOpen();
                arrived.await();
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
     */
    public Optional<Term> receive(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                checkOpen();
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = arrived.awaitNanos(nanos);
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
     * (on the thread that delivers it), or fails with {@link IllegalStateException} when the
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

    /** Closes the mailbox: its pid and name stop receiving, and blocked receivers fail. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            arrived.signalAll();
            for (CompletableFuture<Term> future : waiting) {
                future.completeExceptionally(closedException());
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
        node.exit(self);
        name = null;
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("mailbox " + self + " is closed");
    }

    @Override
    public String toString() {
        return "Mailbox[" + self + (name != null ? " registered as " + name : "") + "]";
    }
}
