package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import io.jdist.term.Int;
import io.jdist.term.Term;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a mailbox sends and receives on its own node: names, ordering, blocking, timed and
 * asynchronous receive, interruption, closing, virtual threads. A carrier's test subclasses it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractMailboxTest {

    private EmbeddedEpmd.Lease epmd;
    private Node node;

    /** The carrier's name, as {@link NodeConfig.Builder#carrier} takes it. */
    protected abstract String carrier();

    /** How the suite's node is configured; a carrier with settings adds them. */
    protected NodeConfig.Builder config(String sname) {
        return NodeConfig.builder().sname(sname).cookie("mailbox-test").carrier(carrier()).epmdPort(epmd.port())
                .bindAddress(InetAddress.getLoopbackAddress());
    }

    @BeforeEach
    void startNode() throws IOException {
        epmd = EmbeddedEpmd.acquire(0);
        node = Node.start(config("mbox_" + Long.toHexString(System.nanoTime())).build());
    }

    @AfterEach
    void stopNode() {
        node.close();
        epmd.close();
    }

    @Test
    void messagesReachAPidAndARegisteredNameInTheOrderSent() throws InterruptedException {
        try (Mailbox sender = node.createMailbox(); Mailbox byPid = node.createMailbox();
                Mailbox byName = node.createMailbox("by_name")) {
            for (int i = 0; i < 10_000; i++) {
                sender.send(byPid.self(), i);
                sender.send("by_name", i);
            }
            for (int i = 0; i < 10_000; i++) {
                assertEquals(Int.of(i), byPid.receive());
                assertEquals(Int.of(i), byName.receive());
            }
            assertEquals(Optional.of(byName.self()), node.whereis("by_name"));
        }
    }

    @Test
    void aTakenNameIsRefusedUntilItsOwnerUnregisters() {
        try (Mailbox first = node.createMailbox("taken"); Mailbox second = node.createMailbox()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.register("taken"));
            assertTrue(e.getMessage().contains("taken"), e.getMessage());

            assertTrue(first.unregister());
            assertFalse(first.unregister());
            second.register("taken");
            assertEquals(Optional.of(second.self()), node.whereis("taken"));
        }
        assertEquals(Optional.empty(), node.whereis("taken"), "a closed mailbox keeps no name");
    }

    @Test
    void receiveWithATimeoutGivesNothingWhenNothingCame() throws InterruptedException {
        try (Mailbox mailbox = node.createMailbox()) {
            long start = System.nanoTime();
            assertEquals(Optional.empty(), mailbox.receive(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "returned early");
            assertEquals(Optional.empty(), mailbox.poll());

            mailbox.send(mailbox.self(), "to myself");
            assertEquals(Optional.of(Term.of("to myself")), mailbox.receive(Duration.ZERO));
        }
    }

    @Test
    void aBlockedReceiveIsInterruptible() throws Exception {
        try (Mailbox mailbox = node.createMailbox()) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread receiver = new Thread(() -> {
                try {
                    mailbox.receive();
                } catch (Throwable t) {
                    outcome.set(t);
                } finally {
                    done.countDown();
                }
            });
            receiver.start();
            awaitWaiting(receiver);
            receiver.interrupt();

            assertTrue(done.await(5, TimeUnit.SECONDS), "receive() did not return after an interrupt");
            assertTrue(outcome.get() instanceof InterruptedException, "expected InterruptedException but got "
                    + outcome.get());
        }
    }

    @Test
    void closingAMailboxFailsItsBlockedReceiversAndFutures() throws Exception {
        Mailbox mailbox = node.createMailbox();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                mailbox.receive();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        receiver.start();
        awaitWaiting(receiver);
        CompletableFuture<Term> future = mailbox.receiveAsync();

        mailbox.close();
        receiver.join(5000);

        assertTrue(outcome.get() instanceof IllegalStateException, "expected IllegalStateException but got "
                + outcome.get());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException, String.valueOf(failed.getCause()));
        assertThrows(IllegalStateException.class, mailbox::receive);
    }

    @Test
    void receiveAsyncCompletesInOrderWithoutBlockingAThread() throws Exception {
        try (Mailbox sender = node.createMailbox(); Mailbox mailbox = node.createMailbox()) {
            List<CompletableFuture<Term>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(mailbox.receiveAsync());
            }
            assertFalse(futures.get(0).isDone());
            for (int i = 0; i < 100; i++) {
                sender.send(mailbox.self(), i);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(Int.of(i), futures.get(i).get(5, TimeUnit.SECONDS));
            }
            sender.send(mailbox.self(), Atom.OK);
            assertEquals(Atom.OK, mailbox.receiveAsync().getNow(null), "a waiting message completes at once");
        }
    }

    @Test
    void tenThousandVirtualThreadsCanWaitInReceive() throws Exception {
        ExecutorService virtual = virtualThreadExecutor();
        List<Mailbox> mailboxes = new ArrayList<>();
        try (Mailbox sender = node.createMailbox()) {
            List<Future<Term>> received = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Mailbox mailbox = node.createMailbox();
                mailboxes.add(mailbox);
                received.add(virtual.submit(() -> mailbox.receive()));
            }
            for (int i = 0; i < mailboxes.size(); i++) {
                sender.send(mailboxes.get(i).self(), i);
            }
            for (int i = 0; i < received.size(); i++) {
                assertEquals(Int.of(i), received.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            virtual.shutdownNow();
            mailboxes.forEach(Mailbox::close);
        }
    }

    /** Java 21's virtual threads, reached by reflection so that the suite compiles for Java 17. */
    private static ExecutorService virtualThreadExecutor() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21; this is "
                + Runtime.version());
        return (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, thread.getState(), "the receiver never blocked");
    }
}
