package io.jdist.transport.tcp.internal;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridges one Netty channel to a jdist {@link ConnectionHandler}, keeping the SPI's call-order
 * contract: {@code connected} once, then {@code received}, then {@code closed} once.
 *
 * <p>A plain TCP connection is open for jdist as soon as the channel is active. A carrier that
 * secures the channel first (TLS) makes the adapter with {@code openWhenActive} false and calls
 * {@link #open} once the channel is secured, or {@link #failBeforeOpen} when it cannot be: jdist
 * then never hears of an incoming connection, and an outgoing one fails its connect stage.
 *
 * <p>Writes are coalesced without delaying a lone one: {@link #write} queues its bytes and, unless
 * a flush is already on its way, asks the event loop for one. A flush writes everything queued by
 * the time it runs in one gathering system call, so under load many messages share a call, while
 * a message sent on an idle connection is flushed as soon as the event loop picks the task up.
 */
public class ConnectionAdapter extends ChannelInboundHandlerAdapter implements CarrierConnection {

    private final ConnectionHandler handler;
    /** Completed once the connection is open, for an outgoing connection; else {@code null}. */
    private final CompletableFuture<CarrierConnection> connecting;
    private final boolean openWhenActive;
    private final ConcurrentLinkedQueue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
    /** Bytes in {@link #pending}, which Netty does not count towards the channel's writability. */
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Guards {@link #busy} and the order of the handler's writability calls. */
    private final Object writability = new Object();
    private boolean busy;
    /**
     * Whether the handler may hear of writability: from open to close. Guarded by {@link
     * #writability}, so that no writer's call slips in after {@code closed}.
     */
    private boolean reportWritability;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushPending = this::flushPending;
    /** Flushes done, for tests that check coalescing; written on the event loop only. */
    private volatile long flushes;
    private volatile Channel channel;
    private volatile List<Certificate> peerCertificates = List.of();
    private boolean open;
    private Throwable failure;

    /**
     * @param handler receives the connection's events
     * @param connecting completed with this connection once open, for an outgoing connection; {@code
     *     null} for an accepted one
     * @param openWhenActive whether the connection is open as soon as the TCP channel is
     */
    public ConnectionAdapter(ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting,
            boolean openWhenActive) {
        this.handler = handler;
        this.connecting = connecting;
        this.openWhenActive = openWhenActive;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (openWhenActive) {
            open(ctx, List.of());
        }
        ctx.fireChannelActive();
    }

    /**
     * Opens the connection for jdist. Call on the channel's event loop, at most once.
     *
     * @param certificates the chain the peer presented, its own certificate first
     */
    public void open(ChannelHandlerContext ctx, List<Certificate> certificates) {
        channel = ctx.channel();
        peerCertificates = List.copyOf(certificates);
        open = true;
        synchronized (writability) {
            reportWritability = true;
        }
        handler.connected(this);
        if (connecting != null) {
            connecting.complete(this);
        }
    }

    /** Closes a connection that could not be opened, saying why to whoever dialled it. */
    public void failBeforeOpen(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (!open) {
                return;
            }
            if (buf.nioBufferCount() == 1) {
                handler.received(buf.nioBuffer());
            } else {
                for (ByteBuffer part : buf.nioBuffers()) {
                    handler.received(part);
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (open) {
            open = false;
            synchronized (writability) {
                reportWritability = false;
            }
            handler.closed(failure);
        } else if (connecting != null && !connecting.isDone()) {
            String why = failure == null ? "closed by the peer"
                    : failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
            connecting.completeExceptionally(new IOException("cannot connect to " + ctx.channel().remoteAddress()
                    + ": " + why, failure));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateWritability();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Tells the handler when the connection turns busy or drains: busy once the bytes waiting here
     * or in Netty's outbound buffer pass the high-water mark, writable again once both are below
     * the low one. Called from writers and from the event loop; the handler hears each change once.
     */
    private void updateWritability() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        synchronized (writability) {
            if (!reportWritability) {
                return;
            }
            long queued = pendingBytes.get();
            boolean nowBusy = busy
                    ? queued > NettyCarrier.LOW_WATER_MARK || !ch.isWritable()
                    : queued > NettyCarrier.HIGH_WATER_MARK || !ch.isWritable();
            if (nowBusy != busy) {
                busy = nowBusy;
                handler.writable(!nowBusy);
            }
        }
    }

    @Override
    public void write(ByteBuffer... buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        if (size == 0) {
            return;
        }
        // Copied into pooled direct memory here, on the writer's thread: the socket and OpenSSL take
        // their bytes from there, and the event loop, the busier thread, would copy them otherwise.
        ByteBuf out = channel.alloc().directBuffer(size);
        for (ByteBuffer b : buffers) {
            out.writeBytes(b.duplicate());
        }
        pending.add(out);
        if (pendingBytes.addAndGet(out.readableBytes()) > NettyCarrier.HIGH_WATER_MARK) {
            updateWritability();
        }
        // Even on the event loop the flush goes behind the queued tasks: see afterQueuedTasks.
        if (flushScheduled.compareAndSet(false, true)) {
            afterQueuedTasks(flushPending, this::releasePending);
        }
    }

    private void flushPending() {
        // Cleared first: a write that races with this drain schedules a flush of its own.
        flushScheduled.set(false);
        ByteBuf next = pending.poll();
        if (next == null) {
            return;
        }
        long moved = 0;
        for (; next != null; next = pending.poll()) {
            moved += next.readableBytes();
            channel.write(next, channel.voidPromise());
        }
        pendingBytes.addAndGet(-moved);
        channel.flush();
        flushes++;
        updateWritability();
    }

    private void releasePending() {
        for (ByteBuf b = pending.poll(); b != null; b = pending.poll()) {
            b.release();
        }
    }

    /** The number of flushes so far: fewer than writes when writes were coalesced. */
    public long flushes() {
        return flushes;
    }

    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            // After the writes queued before it, such as a handshake's last status message.
            afterQueuedTasks(channel::close, channel::close);
        } else {
            channel.close();
        }
    }

    /**
     * Runs {@code task} on the channel's event loop behind the tasks already queued there. Netty runs
     * a write or close on the event loop's own thread at once, whereas calls from other threads
     * wait in its task queue: called on the event loop, they would overtake earlier calls from other
     * threads and break the order the SPI promises. {@code ifRejected} runs instead when the loop is
     * shutting down.
     */
    private void afterQueuedTasks(Runnable task, Runnable ifRejected) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        return NettyCarrier.fromNetty(channel.remoteAddress());
    }

    @Override
    public SocketAddress localAddress() {
        return NettyCarrier.fromNetty(channel.localAddress());
    }

    @Override
    public List<Certificate> peerCertificates() {
        return peerCertificates;
    }
}
