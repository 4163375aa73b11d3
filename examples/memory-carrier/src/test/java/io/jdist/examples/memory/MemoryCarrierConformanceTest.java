package io.jdist.examples.memory;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.tck.AbstractCarrierConformanceTest;
import java.net.SocketAddress;
import java.util.Map;
import java.util.UUID;

/** The kit's carrier-level suite on the memory carrier. */
class MemoryCarrierConformanceTest extends AbstractCarrierConformanceTest {

    @Override
    protected Carrier newCarrier() {
        return new MemoryCarrierProvider().create(Map.of());
    }

    @Override
    protected SocketAddress newListenAddress() {
        return MemoryAddress.of("tck-" + UUID.randomUUID());
    }
}
