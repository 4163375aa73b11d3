package io.jdist.transport.tcp;

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
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Distribution over TCP on Netty, with TCP_NODELAY, one event loop group for the whole carrier. */
final class TcpCarrier implements Carrier {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.tcp");

    private final TcpSettings settings;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> channel;

    TcpCarrier(TcpSettings settings) {
        this.settings = settings;
        boolean epoll = switch (settings.transport()) {
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("tcp transport epoll was asked for but cannot load: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case NIO -> false;
            case AUTO -> Epoll.isAvailable();
        };
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("jdist-tcp-io", true), io);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.channel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        LOG.log(System.Logger.Level.DEBUG, "tcp carrier on {0} with {1} I/O threads",
                epoll ? "epoll" : "nio", settings.ioThreads());
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int handshakeLengthBytes() {
        return 2;
    }

    @Override
    public CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ConnectionAdapter(handlers.get(), null));
                    }
                });
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
        }
        Channel server = bound.channel();
        return new CarrierServer() {
            @Override
            public SocketAddress localAddress() {
                return server.localAddress();
            }

            @Override
            public void close() {
                server.close().awaitUninterruptibly();
            }
        };
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, ConnectionHandler handler) {
        CompletableFuture<CarrierConnection> result = new CompletableFuture<>();
        new Bootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .handler(new ConnectionAdapter(handler, result))
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        Throwable cause = f.cause();
                        result.completeExceptionally(new IOException("cannot connect to " + address + ": "
                                + cause.getMessage(), cause));
                    }
                });
        return result;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
