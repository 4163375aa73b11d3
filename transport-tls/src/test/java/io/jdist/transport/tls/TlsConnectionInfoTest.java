package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.ConnectionInfo;
import io.jdist.Node;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A TLS node tells which certificate each peer presented, through {@link Node#connectionInfo}. */
class TlsConnectionInfoTest extends TlsNodeTestBase {

    @Test
    void eachSideKnowsTheCertificateChainItsPeerPresented() throws Exception {
        TlsTestFiles files = TlsTestFiles.create(dir.resolve("cluster"));
        TlsTestFiles friendFiles = files.with(dir.resolve("friend"), TlsTestFiles.nodeCertificate(files.ca)
                .commonName("friend of the node").build());
        Node node = startTls("node", files);
        Node friend = startTls("friend", friendFiles);
        assertEquals(Optional.empty(), friend.connectionInfo(node.name()), "not connected yet");

        assertTrue(friend.connect(node.name()));

        ConnectionInfo atFriend = friend.connectionInfo(node.name()).orElseThrow();
        ConnectionInfo atNode = node.connectionInfo(friend.name()).orElseThrow();
        assertEquals(node.name(), atFriend.node());
        assertEquals("tls", atFriend.carrier());
        assertTrue(atFriend.outgoing());
        assertFalse(atNode.outgoing());
        assertEquals(atFriend.localAddress(), atNode.remoteAddress());
        assertEquals(files.node.certificate(), first(atFriend.peerCertificates()));
        assertEquals(friendFiles.node.certificate(), first(atNode.peerCertificates()));
    }

    private static Certificate first(List<Certificate> chain) {
        assertFalse(chain.isEmpty(), "no certificate chain");
        return chain.get(0);
    }
}
