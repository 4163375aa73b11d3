package io.jdist.testing;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ConnectionHandler} for carrier tests: records what a connection receives, how often each
 * callback came, and how the connection closed.
 */
public final class RecordingHandler implements ConnectionHandler {

    public final AtomicInteger connectedCalls = new AtomicInteger();
    public final AtomicInteger closedCalls = new AtomicInteger();
    /** Counted down when the connection closes. */
    public final CountDownLatch closed = new CountDownLatch(1);
    /** Counted down once {@link #expected} bytes have arrived. */
    public final CountDownLatch gotAll = new CountDownLatch(1);
    public volatile CarrierConnection connection;
    public volatile Throwable cause;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int expected;

    /** A handler that expects no particular number of bytes. */
    public RecordingHandler() {
        this(-1);
    }

    /** A handler that counts {@link #gotAll} down when {@code expected} bytes have arrived. */
    public RecordingHandler(int expected) {
        this.expected = expected;
    }

    @Override
    public void connected(CarrierConnection c) {
        connection = c;
        connectedCalls.incrementAndGet();
        connected.countDown();
    }

    @Override
    public synchronized void received(ByteBuffer data) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        bytes.write(chunk, 0, chunk.length);
        if (expected >= 0 && bytes.size() >= expected) {
            gotAll.countDown();
        }
    }

    @Override
    public void closed(Throwable c) {
        cause = c;
        closedCalls.incrementAndGet();
        closed.countDown();
    }

    /** The bytes received so far. */
    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The connection, once open; fails the test if it does not open within {@code timeout}. */
    public CarrierConnection awaitConnection(Duration timeout) throws InterruptedException {
        if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the connection did not open within " + timeout.toMillis() + " ms");
        }
        return connection;
    }
}
