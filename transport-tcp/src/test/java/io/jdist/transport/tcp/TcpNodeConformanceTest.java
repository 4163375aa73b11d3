package io.jdist.transport.tcp;

import io.jdist.carrier.tck.AbstractNodeConformanceTest;

/** The kit's node-level suite: two Java nodes over TCP. */
class TcpNodeConformanceTest extends AbstractNodeConformanceTest {

    @Override
    protected String carrier() {
        return "tcp";
    }
}
