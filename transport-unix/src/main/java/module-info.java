/**
 * The {@code unix} carrier: distribution over Unix-domain sockets for nodes on one host, found
 * through a directory of sockets instead of EPMD.
 */
module io.jdist.transport.unix {
    requires transitive io.jdist;
    requires io.jdist.transport.tcp;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires jdk.net;

    exports io.jdist.transport.unix;

    provides io.jdist.carrier.CarrierProvider with io.jdist.transport.unix.UnixCarrierProvider;
}
