package io.jdist.transport.tls;

/** The kit's carrier-level suite on the tls carrier with the JDK's own TLS instead of OpenSSL. */
class TlsJdkProviderCarrierConformanceTest extends TlsCarrierConformanceTest {

    @Override
    protected String provider() {
        return "jdk";
    }
}
