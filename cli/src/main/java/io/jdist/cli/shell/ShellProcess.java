package io.jdist.cli.shell;

import io.jdist.ExitException;
import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The shell's own process, which {@code self()} names: a mailbox that traps exits, so that a
 * linked process's end arrives as an {@code {'EXIT', Pid, Reason}} message rather than ending the
 * shell. Each message is moved into a queue as it is delivered, where {@code receive} and {@code
 * flush} find it (as iex's mailbox holds messages for {@code flush()}), and a listener hears of it
 * (the terminal shows arrivals).
 *
 * <p>Messages move on the thread that delivers them ({@link Mailbox#receiveAsync()}), not on a
 * thread of the shell's: so whatever the shell learns after a message was delivered (an rpc's
 * answer on the same connection, say) it learns after the message is in the queue.
 *
 * <p>An exit signal that cannot be trapped ({@code kill}) still ends the process: then, as iex
 * starts a new shell process, a new mailbox takes its place with a new pid, no registered name and
 * no links or monitors, and one log line says so. Messages already queued stay queued.
 */
final class ShellProcess implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.cli.shell");

    private final Node node;
    private final LinkedBlockingQueue<Term> queue = new LinkedBlockingQueue<>();
    /** Tells the listener, so that a slow terminal never holds up the thread that delivers messages. */
    private final ExecutorService notifier;
    private volatile Mailbox mailbox;
    private volatile Consumer<Term> arrivals = message -> { };
    private volatile boolean closed;

    ShellProcess(Node node) {
        this.node = node;
        this.notifier = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "jdist-shell-arrivals");
            thread.setDaemon(true);
            return thread;
        });
        this.mailbox = newMailbox();
        takeNext();
    }

    private Mailbox newMailbox() {
        Mailbox m = node.createMailbox();
        m.trapExit(true);
        return m;
    }

    /** The shell process's pid. */
    Pid self() {
        return mailbox.self();
    }

    /** The mailbox that is the shell's process now. */
    Mailbox mailbox() {
        return mailbox;
    }

    /** Tells {@code listener} of each message after it is queued, on a thread of its own. */
    void onArrival(Consumer<Term> listener) {
        arrivals = listener;
    }

    /** The next queued message, waiting up to {@code timeout} ({@code null}: as long as it takes). */
    Optional<Term> receive(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            return Optional.of(queue.take());
        }
        return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Takes every queued message, oldest first. */
    List<Term> flush() {
        List<Term> messages = new ArrayList<>();
        queue.drainTo(messages);
        return messages;
    }

    /**
     * Asks the mailbox for its next message. Those already waiting come at once, in a loop rather
     * than by recursion; the first that is not there yet completes the future later, on the thread
     * that delivers it, which then asks again.
     */
    private void takeNext() {
        while (!closed) {
            Mailbox current = mailbox;
            CompletableFuture<Term> next = current.receiveAsync();
            if (!next.isDone()) {
                next.whenComplete((message, failure) -> {
                    if (arrived(current, message, failure)) {
                        takeNext();
                    }
                });
                return;
            }
            Term message = null;
            Throwable failure = null;
            try {
                message = next.get();
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (InterruptedException e) {
                throw new IllegalStateException("a completed future cannot wait", e);
            }
            if (!arrived(current, message, failure)) {
                return;
            }
        }
    }

    /** Queues a message, or replaces an ended process; whether to go on taking messages. */
    private boolean arrived(Mailbox from, Term message, Throwable failure) {
        if (closed) {
            return false;
        }
        if (failure == null) {
            queue.add(message);
            Consumer<Term> listener = arrivals;
            try {
                notifier.execute(() -> listener.accept(message));
            } catch (RejectedExecutionException e) {
                return false; // closed meanwhile
            }
            return true;
        }
        if (!node.alive() || !(failure instanceof ExitException exit)) {
            return false; // the node is closing: its processes end with it
        }
        Mailbox next = newMailbox();
        mailbox = next;
        LOG.log(System.Logger.Level.WARNING, "the shell''s process {0} exited with {1}; the shell is now {2}",
                from.self(), exit.reason(), next.self());
        return true;
    }

    /** Ends the shell's process, {@code normal}ly. */
    @Override
    public void close() {
        closed = true;
        mailbox.close();
        notifier.shutdownNow();
    }
}
