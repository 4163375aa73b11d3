package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers a TLS node must refuse, each with a warning that says why, while the node goes on serving
 * the peers it already has and accepts good new ones.
 */
class TlsRefusalTest extends TlsNodeTestBase {

    private TlsTestFiles good;
    private Node node;
    private Node friend;
    private Mailbox friendInbox;

    @BeforeEach
    void startNodeWithAFriend() throws InterruptedException {
        good = TlsTestFiles.create(dir.resolve("good"));
        node = start("node", "tls", good.settings(), UnaryOperator.identity());
        friend = startTls("friend", good.with(dir.resolve("friend"), TlsTestFiles.nodeCertificate(good.ca).build()));
        friendInbox = friend.createMailbox("inbox");
        assertTrue(friend.connect(node.name()), "a good peer connects");
    }

    /** The friend's connection stayed up and carries messages, and a good newcomer gets in. */
    private void assertStillServing() throws InterruptedException {
        assertTrue(node.nodes().contains(friend.name()), "the established connection survived: " + node.nodes());
        try (Mailbox m = node.createMailbox()) {
            m.send("inbox", friend.name(), Atom.of("still_here"));
        }
        assertEquals(Atom.of("still_here"), friendInbox.receive(WAIT).orElseThrow());
        Node newcomer = startTls("newcomer", good.with(dir.resolve("newcomer-" + System.nanoTime()),
                TlsTestFiles.nodeCertificate(good.ca).build()));
        assertTrue(newcomer.ping(node.name()), "a good new peer connects after the bad one");
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        SSLSocket socket = (SSLSocket) TlsTestFiles.clientContext(null, good.ca).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), listenPort(node));
        try (socket) {
            socket.setSoTimeout(5000);
            // TLS 1.3 clients finish before the server has judged them: the refusal shows on reading.
            assertThrows(IOException.class, () -> {
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
        awaitWarning("tls handshake from", "the client presented no certificate");
        assertStillServing();
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        // A forged CA of the same name: the stranger's client then presents its certificate.
        TlsTestFiles forged = TlsTestFiles.create(dir.resolve("forged"), good.caName());
        Map<String, String> settings = new HashMap<>(forged.settings());
        settings.remove("caFile");
        // The stranger checks nothing, so that every refusal is the node's.
        settings.put("verify", "none");
        Node stranger = start("stranger", "tls", settings, UnaryOperator.identity());

        assertFalse(stranger.connect(node.name()), "a peer with another CA's certificate connects");
        awaitWarning("tls handshake from", "the peer's certificate is not signed by a CA in this node's caFile");
        assertFalse(node.connect(stranger.name()), "the node connects to a peer with another CA's certificate");
        awaitWarning("tls handshake with", "the peer's certificate is not signed by a CA in this node's caFile");
        assertFalse(node.nodes().contains(stranger.name()));
        assertStillServing();
    }

    @Test
    void peersOfTwoClustersRefuseEachOther() throws Exception {
        TlsTestFiles other = TlsTestFiles.create(dir.resolve("other"));
        Node stranger = startTls("stranger", other);

        // The stranger, dialling, refuses the node's certificate first; the node sees the alert.
        assertFalse(stranger.connect(node.name()), "a peer of another cluster connects");
        awaitWarning("tls handshake with", "the peer's certificate is not signed by a CA in this node's caFile");
        awaitWarning("tls handshake from", "failed");
        assertStillServing();
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        NodeCertificate expired = TlsTestFiles.nodeCertificate(good.ca)
                .validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1))).build();
        Node late = startTls("late", good.with(dir.resolve("late"), expired));

        assertFalse(late.connect(node.name()), "a peer with an expired certificate connects");
        awaitWarning("tls handshake from", "the peer's certificate has expired");
        assertStillServing();
    }

    @Test
    void sanMismatchIsRefusedWithIdentityCheckOn() throws Exception {
        Map<String, String> checking = new HashMap<>(good.settings());
        checking.put("identityCheck", "true");
        Node strict = start("strict", "tls", checking, UnaryOperator.identity());
        NodeCertificate elsewhere = NodeCertificate.builder().commonName("elsewhere").signedBy(good.ca)
                .dnsName("elsewhere.example.com").build();
        Node imposter = startTls("imposter", good.with(dir.resolve("imposter"), elsewhere));

        assertFalse(imposter.connect(strict.name()), "a peer whose certificate names another host connects");
        awaitWarning("incoming connection from " + imposter.name(), "identity check failed",
                "[DNS:elsewhere.example.com], not the node's host");
        assertFalse(strict.connect(imposter.name()), "connecting to a peer whose certificate names another host");
        awaitWarning("outgoing connection to " + imposter.name(), "identity check failed");
        assertTrue(friend.ping(strict.name()), "a peer whose certificate names its host connects");
        assertTrue(strict.ping(node.name()), "and the other way");
        assertStillServing();
    }

    /** Lets in only nodes whose alive name starts with their certificate's organisational unit. */
    public static final class UnitNamesNode implements PeerVerifier {
        @Override
        public boolean allow(String nodeName, List<X509Certificate> chain) {
            String subject = chain.isEmpty() ? "" : chain.get(0).getSubjectX500Principal().getName();
            int ou = subject.indexOf("OU=");
            return ou >= 0 && nodeName.startsWith(subject.substring(ou + 3).split(",")[0]);
        }
    }

    @Test
    void peerVerifierDecidesWhichNodeMayPresentWhichCertificate() throws Exception {
        Map<String, String> settings = new HashMap<>(good.settings());
        settings.put("peerVerifier", UnitNamesNode.class.getName());
        Node guarded = start("guarded", "tls", settings, UnaryOperator.identity());
        NodeCertificate storage = TlsTestFiles.nodeCertificate(good.ca).organizationalUnit("storage").build();
        Node storageNode = startTls("storage", good.with(dir.resolve("storage"), storage));
        Node pretender = startTls("web", good.with(dir.resolve("web"), storage));

        assertTrue(storageNode.ping(guarded.name()), "a node named as its certificate's unit connects");
        assertFalse(pretender.connect(guarded.name()), "a node named otherwise connects");
        awaitWarning("incoming connection from " + pretender.name(), "peer verifier " + UnitNamesNode.class.getName()
                + " refused " + pretender.name() + " with certificate ");
        assertFalse(guarded.connect(pretender.name()), "the guarded node dials a node named otherwise");
        awaitWarning("outgoing connection to " + pretender.name(), "peer verifier");
        assertStillServing();
    }

    @Test
    void plaintextPeerDiallingTheTlsPortIsRefused() throws Exception {
        Node plain = start("plain", "tcp", Map.of(), UnaryOperator.identity());

        assertFalse(plain.connect(node.name()), "a plaintext node connects to a TLS node");
        awaitWarning("tls handshake from", "the peer does not speak TLS");
        assertStillServing();
    }

    @Test
    void tlsPeerDiallingAPlaintextNodeIsRefused() throws Exception {
        Node plain = start("plain", "tcp", Map.of(), b -> b.setupTimeout(Duration.ofSeconds(2)));
        Map<String, String> quick = new HashMap<>(good.settings());
        quick.put("connectTimeoutMillis", "2000");
        Node dialler = start("dialler", "tls", quick, UnaryOperator.identity());

        assertFalse(dialler.connect(plain.name()), "a TLS node connects to a plaintext node");
        awaitWarning("tls handshake with", "at ");
        awaitWarning("incoming connection from", "the peer opened a TLS handshake, but this node's carrier (tcp) does not speak TLS");
        assertTrue(plain.nodes().isEmpty());
        assertStillServing();
    }

    @Test
    void wrongCookieInsideTlsIsRefused() throws Exception {
        Node stranger = start("stranger", "tls", good.with(dir.resolve("stranger"),
                TlsTestFiles.nodeCertificate(good.ca).build()).settings(), b -> b.cookie("another-cookie"));

        assertFalse(stranger.connect(node.name()), "a peer with the wrong cookie connects over TLS");
        awaitWarning("incoming connection from " + stranger.name(), "failed");
        assertFalse(logs.entries().stream().anyMatch(e -> e.text().contains(cookie) || e.text().contains("another-cookie")),
                "a log line holds a cookie");
        assertStillServing();
    }

}
