/** Mutual-TLS carrier, wire-compatible with OTP's inet_tls_dist (arrives with issue #5). */
module io.jdist.transport.tls {
    requires io.jdist;
}
