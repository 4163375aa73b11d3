package io.jdist.transport.tcp.internal;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.ConnectionHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A carrier on Netty's TCP (with TCP_NODELAY) or Unix-domain sockets, with one event loop group for
 * the whole carrier. Subclasses name the carrier and may add handlers in front of each connection's
 * {@link ConnectionAdapter} ({@link #initChannel}).
 */
public abstract class NettyCarrier implements Carrier {

    /**
     * When a connection's outgoing buffer counts as full, and when it has drained again: OTP's
     * default {@code dist_buf_busy_limit} is 1 MiB.
     */
    static final int HIGH_WATER_MARK = 1024 * 1024;
    static final int LOW_WATER_MARK = 512 * 1024;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK);

    /** The kind of socket a carrier's channels are. */
    protected enum Family {
        /** TCP; addresses are {@link java.net.InetSocketAddress}. */
        TCP,
        /** Unix-domain stream sockets; addresses are {@link UnixDomainSocketAddress}. */
        UNIX
    }

    private final NettyOptions options;
    private final EventLoopGroup group;
    /** The servers and connections open on this carrier, closed before its event loops stop. */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> channel;
    private final Family family;
    private final boolean epoll;

    /**
     * @param threadPrefix the name prefix of the carrier's I/O threads
     * @throws IllegalStateException if epoll was asked for and cannot load
     */
    protected NettyCarrier(String threadPrefix, NettyOptions options) {
        this(threadPrefix, options, Family.TCP);
    }

    /**
     * @param threadPrefix the name prefix of the carrier's I/O threads
     * @param family the kind of socket
     * @throws IllegalStateException if epoll was asked for and cannot load
     */
    protected NettyCarrier(String threadPrefix, NettyOptions options, Family family) {
        this.options = options;
        this.family = family;
        this.epoll = switch (options.transport()) {
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("transport epoll was asked for but cannot load: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case NIO -> false;
            case AUTO -> Epoll.isAvailable();
        };
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory(threadPrefix, true),
                io);
        if (family == Family.TCP) {
            this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            this.channel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        } else {
            this.serverChannel = epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
            this.channel = epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
        }
    }

    /** Whether the carrier runs on native epoll rather than NIO. */
    protected final boolean usesEpoll() {
        return epoll;
    }

    /** The settings the carrier was made with. */
    protected final NettyOptions options() {
        return options;
    }

    /**
     * Sets up a new channel's pipeline. The default adds {@code adapter}, which opens the connection
     * as soon as the channel is active.
     *
     * @param peerHost the host part of the peer's node name for an outgoing connection, or {@code
     *     null} for an accepted one or when the caller did not say
     */
    protected void initChannel(Channel ch, ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting,
            String peerHost) {
        ch.pipeline().addLast(new ConnectionAdapter(handler, connecting, true));
    }

    @Override
    public CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        if (family == Family.TCP) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        bootstrap.childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track(ch);
                        NettyCarrier.this.initChannel(ch, handlers.get(), null, null);
                    }
                });
        ChannelFuture bound = bootstrap.bind(toNetty(address)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
        }
        Channel server = bound.channel();
        track(server);
        return new CarrierServer() {
            @Override
            public SocketAddress localAddress() {
                return fromNetty(server.localAddress());
            }

            @Override
            public void close() {
                server.close().awaitUninterruptibly();
            }
        };
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, ConnectionHandler handler) {
        return connect(address, null, handler);
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, String peerHost,
            ConnectionHandler handler) {
        CompletableFuture<CarrierConnection> result = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        if (family == Family.TCP) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
        }
        bootstrap.handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track(ch);
                        NettyCarrier.this.initChannel(ch, handler, result, peerHost);
                    }
                })
                .connect(toNetty(address))
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        Throwable cause = f.cause();
                        result.completeExceptionally(new IOException("cannot connect to " + address + ": "
                                + cause.getMessage(), cause));
                    }
                });
        return result;
    }

    /** Netty's native transport has its own type for Unix socket addresses; NIO takes the JDK's. */
    private SocketAddress toNetty(SocketAddress address) {
        if (epoll && address instanceof UnixDomainSocketAddress unix) {
            return new DomainSocketAddress(unix.getPath().toString());
        }
        return address;
    }

    /** The JDK's type for an address, whichever transport made it. */
    public static SocketAddress fromNetty(SocketAddress address) {
        if (address instanceof DomainSocketAddress unix) {
            return UnixDomainSocketAddress.of(Path.of(unix.path()));
        }
        return address;
    }

    @Override
    public void close() {
        // Close every server and connection while its event loop still runs the tasks that closing
        // queues: channelInactive, and with it the handler's closed call, is one of them. An event
        // loop that is shutting down may refuse such a task, and a handler would never hear of the close.
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : channels) {
            closing.add(ch.close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
    }
}
