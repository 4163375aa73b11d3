package io.jdist;

import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;

/**
 * What a node knows of one of its connections: Erlang's {@code net_kernel:node_info/1}, plus what
 * the carrier learnt of the peer.
 *
 * @param node the peer's name
 * @param carrier the carrier's name, such as {@code tcp} or {@code tls}
 * @param localAddress this end's address
 * @param remoteAddress the peer's address, as the carrier reports it
 * @param peerCertificates the certificate chain the peer presented, its own certificate first; empty
 *     on carriers without certificates
 * @param outgoing whether this node dialled the peer
 */
public record ConnectionInfo(String node, String carrier, SocketAddress localAddress, SocketAddress remoteAddress,
        List<Certificate> peerCertificates, boolean outgoing) {

    public ConnectionInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }
}
