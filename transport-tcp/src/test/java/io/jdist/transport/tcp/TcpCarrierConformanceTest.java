package io.jdist.transport.tcp;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.tck.AbstractCarrierConformanceTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/** The kit's carrier-level suite on the tcp carrier, native epoll where it loads. */
class TcpCarrierConformanceTest extends AbstractCarrierConformanceTest {

    /** The carrier's settings; the NIO run overrides them. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    protected Carrier newCarrier() {
        return new TcpCarrierProvider().create(settings());
    }

    @Override
    protected SocketAddress newListenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
