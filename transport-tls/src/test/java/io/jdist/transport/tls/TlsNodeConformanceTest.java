package io.jdist.transport.tls;

import io.jdist.carrier.tck.AbstractNodeConformanceTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit's node-level suite: two Java nodes over mutual TLS, each presenting a certificate of
 * one CA made for the test, on the default provider (OpenSSL where it loads). A subclass runs it
 * on the JDK's.
 */
class TlsNodeConformanceTest extends AbstractNodeConformanceTest {

    @TempDir
    Path dir;

    /** The carrier's provider setting. */
    protected String provider() {
        return "auto";
    }

    @Override
    protected String carrier() {
        return "tls";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return TlsTestFiles.settingsIn(dir, provider());
    }
}
