package io.jdist.testing.node;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a node that speaks no protocol of its own: the test writes whatever bytes it
 * likes (garbage, a malformed handshake) and watches whether the node closes it. Reads have
 * deadlines, kept by a reader thread, so that this works over any stream a carrier accepts.
 */
public final class RawConnection implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final Closeable resource;
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean ended;

    /** Over {@code in} and {@code out}, closing {@code resource} on {@link #close()}. */
    public RawConnection(InputStream in, OutputStream out, Closeable resource) {
        this.out = out;
        this.resource = resource;
        Thread reader = new Thread(() -> pump(in), "raw-connection-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A plain TCP connection to {@code address}. */
    public static RawConnection tcp(SocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 5000);
            socket.setTcpNoDelay(true);
            return new RawConnection(socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void pump(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                byte[] chunk = new byte[n];
                System.arraycopy(buffer, 0, chunk, 0, n);
                chunks.add(chunk);
            }
        } catch (IOException e) {
            // A reset or a close by this side: either way the stream has ended.
        }
        chunks.add(END);
    }

    /** Writes {@code bytes} and flushes. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws AssertionError if they do not arrive within {@code timeout} or the stream ends first
     */
    public byte[] read(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.size() < n) {
            if (ended) {
                throw new AssertionError("expected " + n + " bytes but the node closed the connection after "
                        + pending.size());
            }
            byte[] chunk = chunks.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (chunk == null) {
                throw new AssertionError("expected " + n + " bytes within " + timeout.toMillis() + " ms but got "
                        + pending.size());
            }
            if (chunk == END) {
                ended = true;
            } else {
                pending.write(chunk, 0, chunk.length);
            }
        }
        byte[] all = pending.toByteArray();
        byte[] result = new byte[n];
        System.arraycopy(all, 0, result, 0, n);
        pending.reset();
        pending.write(all, n, all.length - n);
        return result;
    }

    /**
     * Whether the node closes the connection within {@code timeout}, discarding whatever it sends
     * meanwhile.
     */
    public boolean closedByPeerWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            byte[] chunk = chunks.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (chunk == null) {
                return false;
            }
            ended = chunk == END;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
