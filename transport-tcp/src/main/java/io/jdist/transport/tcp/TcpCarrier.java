package io.jdist.transport.tcp;

import io.jdist.transport.tcp.internal.NettyCarrier;
import io.jdist.transport.tcp.internal.NettyOptions;

/** Distribution over TCP on Netty, with TCP_NODELAY, one event loop group for the whole carrier. */
final class TcpCarrier extends NettyCarrier {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.tcp");

    TcpCarrier(NettyOptions options) {
        super("jdist-tcp-io", options);
        LOG.log(System.Logger.Level.DEBUG, "tcp carrier on {0} with {1} I/O threads",
                usesEpoll() ? "epoll" : "nio", options.ioThreads());
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int handshakeLengthBytes() {
        return 2;
    }
}
