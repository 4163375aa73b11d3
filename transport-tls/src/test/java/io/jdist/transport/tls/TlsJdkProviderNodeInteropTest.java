package io.jdist.transport.tls;

/** The node interop suite over TLS 1.3 on the JDK's own TLS instead of OpenSSL. */
class TlsJdkProviderNodeInteropTest extends TlsNodeInteropTest {

    @Override
    protected String provider() {
        return "jdk";
    }
}
