package io.jdist.transport.tls;

import java.util.List;

/** The node interop suite over TLS 1.2, OTP 25's only default version for distribution. */
class Tls12NodeInteropTest extends TlsNodeInteropTest {

    @Override
    protected List<String> erlangVersions() {
        return List.of("tlsv1.2");
    }

    @Override
    protected String expectedProtocol() {
        return "TLSv1.2";
    }
}
