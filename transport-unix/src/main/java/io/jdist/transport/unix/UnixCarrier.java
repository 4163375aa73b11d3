package io.jdist.transport.unix;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.carrier.Discovery;
import io.jdist.transport.tcp.internal.NettyCarrier;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Distribution over Unix-domain sockets on Netty: native epoll domain sockets where epoll loads,
 * the JDK's through NIO otherwise. Peers are found in a {@link SocketDirectory}; with the default
 * {@code peers=same}, a connection opens only when the kernel says the process at the other end
 * runs as this process's user.
 */
final class UnixCarrier extends NettyCarrier {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.unix");

    private final UnixSettings settings;
    private final PeerCredentials credentials;

    UnixCarrier(UnixSettings settings) {
        super("jdist-unix-io", settings.netty(), Family.UNIX);
        this.settings = settings;
        this.credentials = new PeerCredentials(usesEpoll());
        LOG.log(System.Logger.Level.DEBUG, "unix carrier on {0}, sockets in {1}, peers {2}",
                usesEpoll() ? "epoll" : "nio", settings.dir(), settings.peers());
    }

    @Override
    public String name() {
        return "unix";
    }

    @Override
    public int handshakeLengthBytes() {
        return 2;
    }

    @Override
    public Optional<Discovery> discovery() {
        return Optional.of(new SocketDirectory(settings.dir()));
    }

    /**
     * Refuses a path that already holds a file: Netty's native transport would replace it, taking
     * the name of a node that still listens there. {@link SocketDirectory} removes stale sockets
     * before a node listens.
     */
    @Override
    public CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        if (!(address instanceof UnixDomainSocketAddress unix)) {
            throw new IOException("cannot listen on " + address + ": the unix carrier takes Unix socket addresses");
        }
        if (Files.exists(unix.getPath(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot listen on " + address + ": the file exists");
        }
        return super.listen(address, handlers);
    }

    @Override
    protected void initChannel(Channel ch, ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting,
            String peerHost) {
        ch.pipeline().addLast(new UnixConnectionAdapter(handler, connecting,
                settings.peers() == UnixSettings.Peers.SAME_USER ? credentials : null));
    }
}
