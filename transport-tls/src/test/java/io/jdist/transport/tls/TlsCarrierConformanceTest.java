package io.jdist.transport.tls;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.tck.AbstractCarrierConformanceTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's carrier-level suite on the tls carrier, with a CA and a node certificate made for the
 * test, on the default provider (OpenSSL where it loads). A subclass runs it on the JDK's.
 */
class TlsCarrierConformanceTest extends AbstractCarrierConformanceTest {

    @TempDir
    Path dir;

    /** The carrier's provider setting. */
    protected String provider() {
        return "auto";
    }

    @Override
    protected Carrier newCarrier() {
        return new TlsCarrierProvider().create(TlsTestFiles.settingsIn(dir, provider()));
    }

    @Override
    protected SocketAddress newListenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
