package io.jdist.transport.unix;

/** The kit's carrier-level suite on the unix carrier over the JDK's sockets (NIO). */
class UnixNioCarrierConformanceTest extends UnixCarrierConformanceTest {

    @Override
    protected String transport() {
        return "nio";
    }
}
