package io.jdist.transport.tcp;

import java.util.Map;

/** The kit's carrier-level suite on the tcp carrier over NIO, as where epoll does not load. */
class TcpNioCarrierConformanceTest extends TcpCarrierConformanceTest {

    @Override
    protected Map<String, String> settings() {
        return Map.of("transport", "nio");
    }
}
