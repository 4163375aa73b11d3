package io.jdist.transport.tls;

import java.util.List;
import java.util.Map;

/**
 * The node interop suite over TLS 1.2, OTP 25's only default version for distribution, with the
 * Java nodes configured by the very {@code ssl_dist_optfile} the {@code erl} nodes use.
 */
class Tls12NodeInteropTest extends TlsNodeInteropTest {

    @Override
    protected List<String> erlangVersions() {
        return List.of("tlsv1.2");
    }

    @Override
    protected String expectedProtocol() {
        return "TLSv1.2";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return Map.of("optFile", erlangOptFile().toString(), "provider", provider());
    }
}
