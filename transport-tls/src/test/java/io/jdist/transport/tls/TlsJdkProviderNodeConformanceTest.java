package io.jdist.transport.tls;

/** The kit's node-level suite over mutual TLS with the JDK's own TLS instead of OpenSSL. */
class TlsJdkProviderNodeConformanceTest extends TlsNodeConformanceTest {

    @Override
    protected String provider() {
        return "jdk";
    }
}
