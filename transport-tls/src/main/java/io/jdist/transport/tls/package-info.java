/**
 * The {@code tls} carrier ({@code -Ddist.carrier=tls}): distribution over mutual TLS, as OTP's
 * {@code inet_tls_dist}, with {@link io.jdist.transport.tls.NodeCertificate} to make certificates in
 * code and {@link io.jdist.transport.tls.PeerVerifier} to decide which node may present which
 * certificate.
 */
package io.jdist.transport.tls;
