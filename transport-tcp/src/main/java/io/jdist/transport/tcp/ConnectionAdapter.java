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
import java.util.concurrent.RejectedExecutionException;

/**
 * Bridges one Netty channel to a jdist {@link ConnectionHandler}, keeping the SPI's call-order
 * contract: {@code connected} once, then {@code received}, then {@code closed} once.
 */
final class ConnectionAdapter extends ChannelInboundHandlerAdapter implements CarrierConnection {

    private final ConnectionHandler handler;
    /** Completed once the connection is active, for an outgoing connection; else {@code null}. */
    private final CompletableFuture<CarrierConnection> connecting;
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
        // One wrapped buffer, one flush: a batch of messages goes out in one gathering write.
        ByteBuf out = buffers.length == 1 ? Unpooled.wrappedBuffer(buffers[0]) : Unpooled.wrappedBuffer(buffers);
        if (channel.eventLoop().inEventLoop()) {
            afterQueuedTasks(() -> channel.writeAndFlush(out, channel.voidPromise()), out::release);
        } else {
            channel.writeAndFlush(out, channel.voidPromise());
        }
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
