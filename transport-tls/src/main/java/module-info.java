/**
 * The {@code tls} carrier: mutual TLS on the tcp carrier's Netty plumbing, wire-compatible with OTP's
 * {@code inet_tls_dist}; OpenSSL (BoringSSL) where it loads, the JDK's TLS otherwise.
 */
module io.jdist.transport.tls {
    requires transitive io.jdist;
    requires io.jdist.transport.tcp;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.handler;
    requires static io.netty.tcnative.classes.openssl;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports io.jdist.transport.tls;

    provides io.jdist.carrier.CarrierProvider with io.jdist.transport.tls.TlsCarrierProvider;
}
