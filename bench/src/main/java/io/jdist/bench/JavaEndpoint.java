package io.jdist.bench;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Java side of a measurement, on a jdist {@link Node}: its sink and echo are mailboxes served
 * by a platform thread each; sending and pinging run on the caller's thread from a mailbox of
 * their own. Closing it closes the mailboxes, which ends the threads.
 */
final class JavaEndpoint implements Endpoint, AutoCloseable {

    private static final Atom START = Atom.of("start");
    private static final Atom SEQ = Atom.of("seq");
    private static final Atom ACK = Atom.of("ack");
    private static final Atom PING = Atom.of("ping");
    private static final Atom PONG = Atom.of("pong");
    /** Longer than any run should take; only a broken peer waits this long. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(30);

    private final Node node;
    private final Mailbox self;
    private final Mailbox sink;
    private final Mailbox echo;

    JavaEndpoint(Node node) {
        this.node = node;
        this.self = node.createMailbox();
        this.sink = node.createMailbox();
        this.echo = node.createMailbox();
        serve(this::sinkLoop, "sink");
        serve(this::echoLoop, "echo");
    }

    @Override
    public String kind() {
        return "Java";
    }

    @Override
    public String node() {
        return node.name();
    }

    @Override
    public Pid sink() {
        return sink.self();
    }

    @Override
    public Pid echo() {
        return echo.self();
    }

    @Override
    public long send(Pid to, Payload payload, int count) throws BenchException, InterruptedException {
        byte[] bytes = new byte[payload.bytes];
        ThreadLocalRandom.current().nextBytes(bytes);
        Binary body = Binary.wrap(bytes);
        long start = System.nanoTime();
        self.send(to, Tuple.of(START, self.self(), Int.of(count)));
        for (int i = 0; i < count; i++) {
            self.send(to, Tuple.of(SEQ, Int.of(i), body));
        }
        Term ack = self.receive(ACK_TIMEOUT).orElseThrow(
                () -> new BenchException("no ack from " + to + " within " + ACK_TIMEOUT.toSeconds() + " s"));
        long elapsed = System.nanoTime() - start;
        if (!(ack instanceof Tuple t && t.arity() == 3 && t.get(0).equals(ACK) && t.get(2).equals(Atom.OK))) {
            throw new BenchException("expected {ack, " + to + ", ok} but got " + ack);
        }
        return elapsed;
    }

    @Override
    public long[] ping(Pid to, int count) throws BenchException, InterruptedException {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            Int seq = Int.of(i);
            long start = System.nanoTime();
            self.send(to, Tuple.of(PING, self.self(), seq));
            Optional<Term> reply = self.receive(GAP_TIMEOUT);
            times[i] = System.nanoTime() - start;
            if (reply.isEmpty()) {
                throw new BenchException("no pong from " + to + " for ping " + i + " within "
                        + GAP_TIMEOUT.toSeconds() + " s");
            }
            if (!(reply.get() instanceof Tuple t && t.arity() == 2 && t.get(0).equals(PONG) && t.get(1).equals(seq))) {
                throw new BenchException("expected {pong, " + i + "} but got " + reply.get());
            }
        }
        return times;
    }

    @Override
    public long[] connect(String peer, int count) throws BenchException, InterruptedException {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            gone(peer);
            long start = System.nanoTime();
            if (!node.connect(peer)) {
                throw new BenchException(node.name() + " cannot connect to " + peer + " again");
            }
            times[i] = System.nanoTime() - start;
        }
        return times;
    }

    /** Drops the connection to {@code peer} and waits {@link #SETTLE}; again if the connection came back meanwhile. */
    private void gone(String peer) throws BenchException, InterruptedException {
        for (int tries = 0; tries < 100; tries++) {
            node.disconnect(peer);
            Thread.sleep(SETTLE.toMillis());
            if (!node.nodes().contains(peer)) {
                return;
            }
        }
        throw new BenchException(node.name() + " cannot stay disconnected from " + peer);
    }

    /** Counts each run's messages, checking their order, and acks the last to the sender. */
    private void sinkLoop() throws InterruptedException {
        while (true) {
            Term message = sink.receive();
            if (message instanceof Tuple t && t.arity() == 3 && t.get(0).equals(START)
                    && t.get(1) instanceof Pid from && t.get(2) instanceof Int n) {
                sink.send(from, Tuple.of(ACK, sink.self(), count(n.value())));
            }
        }
    }

    private Term count(long n) throws InterruptedException {
        for (long i = 0; i < n; i++) {
            Optional<Term> message = sink.receive(GAP_TIMEOUT);
            if (message.isEmpty()) {
                return error("no message after " + i + " for " + GAP_TIMEOUT.toSeconds() + " s");
            }
            if (!(message.get() instanceof Tuple t && t.arity() == 3 && t.get(0).equals(SEQ)
                    && t.get(1) instanceof Int seq && seq.value() == i)) {
                return error("expected {seq, " + i + ", _} but got " + message.get());
            }
        }
        return Atom.OK;
    }

    private static Term error(String why) {
        return Tuple.of(Atom.ERROR, Binary.of(why.length() > 200 ? why.substring(0, 200) + "..." : why));
    }

    private void echoLoop() throws InterruptedException {
        while (true) {
            if (echo.receive() instanceof Tuple t && t.arity() == 3 && t.get(0).equals(PING)
                    && t.get(1) instanceof Pid from) {
                echo.send(from, Tuple.of(PONG, t.get(2)));
            }
        }
    }

    private interface Loop {
        void run() throws InterruptedException;
    }

    private void serve(Loop loop, String role) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (InterruptedException | IllegalStateException e) {
                // The mailbox closed or the harness is stopping: the thread's work is over.
            }
        }, "node-bench-" + role + "-" + node.name());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public String toString() {
        return "Java endpoint on " + node.name();
    }

    @Override
    public void close() {
        self.close();
        sink.close();
        echo.close();
    }
}
