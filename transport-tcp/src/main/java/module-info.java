/** The {@code tcp} carrier: plain TCP on Netty, native epoll where it loads, NIO otherwise. */
// "module": the tls module is compiled after this one, so javac cannot find it here yet.
@SuppressWarnings("module")
module io.jdist.transport.tcp {
    requires io.jdist;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;

    // The Netty plumbing, for the carriers layered on TCP.
    exports io.jdist.transport.tcp.internal to io.jdist.transport.tls;

    provides io.jdist.carrier.CarrierProvider with io.jdist.transport.tcp.TcpCarrierProvider;
}
