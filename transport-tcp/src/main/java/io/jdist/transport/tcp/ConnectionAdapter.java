package io.jdist.transport.tcp;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bridges one Netty channel to a jdist {@link ConnectionHandler}, keeping the SPI's call-order
 * contract: {@code connected} once, then {@code received}, then {@code closed} once.
 *
 * <p>Writes are coalesced without delaying a lone one: {@link #write} queues its bytes and, unless
 * a flush is already on its way, asks the event loop for one. A flush writes everything queued by
 * the time it runs in one gathering system call, so under load many messages share a call, while
 * a message sent on an idle connection is flushed as soon as the event loop picks the task up.
 */
final class ConnectionAdapter extends ChannelInboundHandlerAdapter implements CarrierConnection {

    private final ConnectionHandler handler;
    /** Completed once the connection is active, for an outgoing connection; else {@code null}. */
    private final CompletableFuture<CarrierConnection> connecting;
    private final ConcurrentLinkedQueue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushPending = this::flushPending;
    /** Flushes done, for tests that check coalescing; written on the event loop only. */
    private volatile long flushes;
    private Channel channel;
    private boolean active;
    private Throwable failure;

    ConnectionAdapter(ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting) {
        this.handler = handler;
        this.connecting = connecting;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        active = true;
        handler.connected(this);
        if (connecting != null) {
            connecting.complete(this);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
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
        if (active) {
            active = false;
            handler.closed(failure);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void write(ByteBuffer... buffers) {
        if (buffers.length == 0) {
            return;
        }
        pending.add(buffers.length == 1 ? Unpooled.wrappedBuffer(buffers[0]) : Unpooled.wrappedBuffer(buffers));
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
        for (; next != null; next = pending.poll()) {
            channel.write(next, channel.voidPromise());
        }
        channel.flush();
        flushes++;
    }

    private void releasePending() {
        for (ByteBuf b = pending.poll(); b != null; b = pending.poll()) {
            b.release();
        }
    }

    /** The number of flushes so far: fewer than writes when writes were coalesced. */
    long flushes() {
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
        return channel.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return channel.localAddress();
    }
}
