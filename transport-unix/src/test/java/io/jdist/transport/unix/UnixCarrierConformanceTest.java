package io.jdist.transport.unix;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.tck.AbstractCarrierConformanceTest;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The kit's carrier-level suite on the unix carrier, native epoll where it loads. */
class UnixCarrierConformanceTest extends AbstractCarrierConformanceTest {

    @TempDir
    Path sockets;
    private final AtomicInteger next = new AtomicInteger();

    /** The carrier's transport setting; the NIO run overrides it. */
    protected String transport() {
        return "auto";
    }

    @Override
    protected Carrier newCarrier() {
        return new UnixCarrierProvider().create(Map.of("transport", transport()));
    }

    @Override
    protected SocketAddress newListenAddress() {
        return UnixDomainSocketAddress.of(sockets.resolve("s" + next.incrementAndGet()));
    }
}
