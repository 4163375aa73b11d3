/** The {@code tcp} carrier: plain TCP on Netty, native epoll where it loads, NIO otherwise. */
// "module": the tls and unix modules are compiled after this one, so javac cannot find them here yet.
@SuppressWarnings("module")
module io.jdist.transport.tcp {
    requires io.jdist;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    // The Netty plumbing, for the carriers layered on TCP and the one on Unix sockets.
    exports io.jdist.transport.tcp.internal to io.jdist.transport.tls, io.jdist.transport.unix;

    provides io.jdist.carrier.CarrierProvider with io.jdist.transport.tcp.TcpCarrierProvider;
}
