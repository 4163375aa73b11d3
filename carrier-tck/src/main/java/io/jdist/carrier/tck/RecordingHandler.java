package io.jdist.carrier.tck;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ConnectionHandler} for carrier tests: it records the bytes a connection receives and
 * every call it gets, and notes each breach of the call order {@link ConnectionHandler} promises
 * ({@code connected} once, then {@code received}, then {@code closed} once, never two at a time;
 * {@code writable} alternating, never concurrently with itself), for {@link #assertContractKept}.
 *
 * <p>It never blocks in a callback, as the SPI asks of handlers.
 */
public final class RecordingHandler implements ConnectionHandler {

    private final boolean echo;
    private final AtomicInteger connectedCalls = new AtomicInteger();
    private final AtomicInteger closedCalls = new AtomicInteger();
    private final AtomicInteger inEvent = new AtomicInteger();
    private final AtomicInteger inWritable = new AtomicInteger();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Boolean> writability = new ArrayList<>();
    private final List<String> breaches = new ArrayList<>();
    private volatile CarrierConnection connection;
    private volatile Throwable cause;

    private RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    /** A handler that records what its connection receives. */
    public RecordingHandler() {
        this(false);
    }

    /** A handler that also writes every byte it receives straight back, as an echo server does. */
    public static RecordingHandler echoing() {
        return new RecordingHandler(true);
    }

    @Override
    public void connected(CarrierConnection c) {
        enter("connected");
        try {
            if (connectedCalls.getAndIncrement() > 0) {
                breach("connected called again");
            }
            if (closedCalls.get() > 0) {
                breach("connected called after closed");
            }
            connection = c;
            connected.countDown();
        } finally {
            inEvent.decrementAndGet();
        }
    }

    @Override
    public void received(ByteBuffer data) {
        enter("received");
        try {
            if (connectedCalls.get() == 0) {
                breach("received called before connected");
            }
            if (closedCalls.get() > 0) {
                breach("received called after closed");
            }
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            synchronized (bytes) {
                bytes.write(chunk, 0, chunk.length);
                bytes.notifyAll();
            }
            if (echo) {
                connection.write(ByteBuffer.wrap(chunk));
            }
        } finally {
            inEvent.decrementAndGet();
        }
    }

    @Override
    public void writable(boolean writable) {
        if (inWritable.incrementAndGet() != 1) {
            breach("writable called concurrently with itself");
        }
        try {
            if (connectedCalls.get() == 0 || closedCalls.get() > 0) {
                breach("writable(" + writable + ") called outside connected ... closed");
            }
            synchronized (writability) {
                boolean was = writability.isEmpty() || writability.get(writability.size() - 1);
                if (was == writable) {
                    breach("writable(" + writable + ") called when the connection already was " + (was ? "writable"
                            : "busy"));
                }
                writability.add(writable);
            }
        } finally {
            inWritable.decrementAndGet();
        }
    }

    @Override
    public void closed(Throwable why) {
        enter("closed");
        try {
            if (closedCalls.getAndIncrement() > 0) {
                breach("closed called again");
            }
            if (connectedCalls.get() == 0) {
                breach("closed called before connected");
            }
            cause = why;
            closed.countDown();
        } finally {
            inEvent.decrementAndGet();
        }
    }

    private void enter(String call) {
        if (inEvent.incrementAndGet() != 1) {
            breach(call + " called while another call for the connection was running");
        }
    }

    private void breach(String what) {
        synchronized (breaches) {
            breaches.add(what + " (on " + Thread.currentThread().getName() + ")");
        }
    }

    /** How many times {@code connected} was called. */
    public int connectedCalls() {
        return connectedCalls.get();
    }

    /** How many times {@code closed} was called. */
    public int closedCalls() {
        return closedCalls.get();
    }

    /** The cause {@code closed} was given: {@code null} for an orderly close, or before any. */
    public Throwable cause() {
        return cause;
    }

    /** The connection {@code connected} was given, or {@code null} before. */
    public CarrierConnection connection() {
        return connection;
    }

    /** The connection, once open. @throws AssertionError if it does not open within {@code timeout} */
    public CarrierConnection awaitConnection(Duration timeout) throws InterruptedException {
        if (!connected.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("the connection did not open within " + timeout.toMillis() + " ms");
        }
        return connection;
    }

    /** Waits for {@code closed}. @throws AssertionError if it does not come within {@code timeout} */
    public void awaitClosed(Duration timeout) throws InterruptedException {
        if (!closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError("closed was not called within " + timeout.toMillis() + " ms");
        }
    }

    /**
     * Every byte received, once there are at least {@code count}.
     *
     * @throws AssertionError if fewer arrive within {@code timeout}
     */
    public byte[] awaitBytes(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (bytes) {
            while (bytes.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " bytes within " + timeout.toMillis()
                            + " ms but got " + bytes.size());
                }
                TimeUnit.NANOSECONDS.timedWait(bytes, left);
            }
            return bytes.toByteArray();
        }
    }

    /** The bytes received so far. */
    public byte[] bytes() {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    /** How many bytes have arrived so far. */
    public int byteCount() {
        synchronized (bytes) {
            return bytes.size();
        }
    }

    /** Every {@code writable} call's argument, in order. */
    public List<Boolean> writabilityChanges() {
        synchronized (writability) {
            return List.copyOf(writability);
        }
    }

    /** Fails, listing them, if the carrier broke the call order {@link ConnectionHandler} promises. */
    public void assertContractKept() {
        synchronized (breaches) {
            if (!breaches.isEmpty()) {
                throw new AssertionError("the carrier broke the ConnectionHandler contract: " + breaches);
            }
        }
    }
}
