package io.jdist.examples.memory;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of an in-process connection. A write hands its buffers to the other end, whose handler
 * receives them on the other end's carrier's threads; each end delivers its events one at a time,
 * in order, as the SPI asks. The writing end counts the bytes its peer has not delivered yet, and
 * reports itself busy past the carrier's buffer size, writable again below half of it: the same
 * back-pressure a socket's send buffer gives.
 */
final class MemoryConnection implements CarrierConnection {

    private static final System.Logger LOG = System.getLogger("io.jdist.examples.memory");
    /** The last event of an end: its handler hears closed, then nothing more. */
    private static final Object CLOSED = new Object();

    private final MemoryCarrier carrier;
    private final ConnectionHandler handler;
    private final MemoryAddress local;
    private final MemoryAddress remote;
    /** This end's events: a Runnable for connected, the peer's ByteBuffers, then CLOSED. */
    private final Queue<Object> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    /** Bytes written at this end that the peer's handler has not received yet. */
    private final AtomicLong undelivered = new AtomicLong();
    private final Object writability = new Object();
    private volatile boolean busy;
    private volatile boolean ended;
    /** Set when this end closes: bytes still on their way to it are dropped. */
    private volatile boolean closedHere;
    /** Shared by both ends: guards {@link Link#shut}, and keeps writes and the close in one order. */
    private Link link;
    private MemoryConnection peer;

    private static final class Link {
        boolean shut;
    }

    MemoryConnection(MemoryCarrier carrier, ConnectionHandler handler, MemoryAddress local, MemoryAddress remote) {
        this.carrier = carrier;
        this.handler = handler;
        this.local = local;
        this.remote = remote;
    }

    /**
     * Joins two ends, each of which will hear connected first, before any byte or close; {@link
     * #start} delivers it.
     */
    static void join(MemoryConnection dialling, CompletableFuture<CarrierConnection> dialled,
            MemoryConnection accepted) {
        dialling.link = accepted.link = new Link();
        dialling.peer = accepted;
        accepted.peer = dialling;
        accepted.events.add((Runnable) () -> accepted.handler.connected(accepted));
        dialling.events.add((Runnable) () -> {
            dialling.handler.connected(dialling);
            dialled.complete(dialling);
        });
    }

    /** Delivers the events queued so far, connected among them. */
    void start() {
        deliverSoon();
    }

    @Override
    public void write(ByteBuffer... buffers) {
        long bytes = 0;
        for (ByteBuffer b : buffers) {
            bytes += b.remaining();
        }
        synchronized (link) {
            if (link.shut || bytes == 0) {
                return;
            }
            undelivered.addAndGet(bytes);
            for (ByteBuffer b : buffers) {
                if (b.hasRemaining()) {
                    peer.events.add(b);
                }
            }
        }
        peer.deliverSoon();
        updateWritability();
    }

    @Override
    public void close() {
        synchronized (link) {
            if (link.shut) {
                return;
            }
            link.shut = true;
        }
        closedHere = true;
        events.add(CLOSED);
        peer.events.add(CLOSED);
        deliverSoon();
        peer.deliverSoon();
    }

    private void deliverSoon() {
        if (delivering.compareAndSet(false, true)) {
            try {
                carrier.execute(this::deliver);
            } catch (RejectedExecutionException e) {
                deliver(); // this end's carrier is closed: its last events are delivered here instead
            }
        }
    }

    private void deliver() {
        do {
            for (Object event = events.poll(); event != null; event = events.poll()) {
                try {
                    handle(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the handler of " + this + " failed", e);
                }
            }
            delivering.set(false);
            // An event queued after the loop ended and before the flag was cleared found it set.
        } while (!events.isEmpty() && delivering.compareAndSet(false, true));
    }

    private void handle(Object event) {
        if (ended) {
            return;
        }
        if (event instanceof ByteBuffer bytes) {
            int size = bytes.remaining();
            if (!closedHere) {
                handler.received(bytes);
            }
            peer.delivered(size);
        } else if (event == CLOSED) {
            synchronized (writability) {
                ended = true;
            }
            carrier.forget(this);
            handler.closed(null);
        } else {
            ((Runnable) event).run();
        }
    }

    private void delivered(int bytes) {
        if (undelivered.addAndGet(-bytes) <= carrier.bufferBytes() / 2 && busy) {
            updateWritability();
        }
    }

    private void updateWritability() {
        synchronized (writability) {
            long queued = undelivered.get();
            boolean nowBusy = queued > (busy ? carrier.bufferBytes() / 2 : carrier.bufferBytes());
            if (nowBusy != busy && !ended) {
                busy = nowBusy;
                handler.writable(!nowBusy);
            }
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public String toString() {
        return "memory connection " + local + " -> " + remote;
    }
}
