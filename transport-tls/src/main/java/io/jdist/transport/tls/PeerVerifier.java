package io.jdist.transport.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides whether a peer that completed the TLS handshake may use the node name it gives: the hook
 * for rules beyond "signed by the CA", such as "only nodes named {@code db*} may present a
 * certificate of the organisational unit {@code storage}".
 *
 * <p>Configured by class name ({@code -Ddist.tls.peerVerifier=com.example.MyVerifier}); the class
 * needs a public no-argument constructor. It is called once per connection, in both directions,
 * after the certificate chain has been verified against the CA and, with {@code identityCheck=true},
 * after the node's host has been matched against the certificate. Implementations must be
 * thread-safe and should not block: they run on the carrier's I/O threads.
 */
@FunctionalInterface
public interface PeerVerifier {

    /**
     * @param nodeName the peer's full node name, {@code alive@host}: the name dialled, or the name an
     *     accepted peer sent in its handshake
     * @param chain the chain the peer presented, its own certificate first; empty if it presented
     *     none (only possible with {@code requireClientCert=false} or {@code verify=none})
     * @return whether the peer may connect under this name
     */
    boolean allow(String nodeName, List<X509Certificate> chain);
}
