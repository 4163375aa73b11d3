package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.testing.ErlangNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Erlang nodes on {@code inet_tls_dist} that a jdist TLS node must refuse (an OTP client presents
 * whatever certificate it has, where a JDK client withholds one its server would not trust), and
 * the warning each refusal leaves.
 */
class TlsErlangRefusalTest extends TlsNodeTestBase {

    private ErlangNode erlang(String prefix, Path optFile) {
        String sname = prefix + "_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        ErlangNode erl = ErlangNode.builder(sname).cookie(cookie).epmdPort(epmd.port()).workingDir(dir.resolve(sname))
                .arguments(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString())).start();
        return track(erl);
    }

    private ErlangNode track(ErlangNode erl) {
        cleanupLater(erl);
        return erl;
    }

    @Test
    void erlangWithCertificateFromAnotherCaIsRefused() throws Exception {
        TlsTestFiles good = TlsTestFiles.create(dir.resolve("good"));
        Node node = start("node", "tls", good.settings(), UnaryOperator.identity());
        // A forged CA of the same name, so that OTP's client presents the certificate it signed.
        TlsTestFiles forged = TlsTestFiles.create(dir.resolve("forged"), good.caName());
        Path optFile = optFile(forged.certFile, forged.keyFile, forged.caFile, true);
        ErlangNode stranger = erlang("stranger", optFile);

        assertEquals(Atom.of("pang"), stranger.eval("net_adm:ping(" + ErlangNode.atom(node.name()) + ")"));
        awaitWarning("tls handshake from", "the peer's certificate is not signed by a CA in this node's caFile");
        assertTrue(node.nodes().isEmpty());
        ErlangNode friend = erlang("friend", good.erlangOptFile(List.of("tlsv1.2")));
        assertEquals(Atom.of("pong"), friend.eval("net_adm:ping(" + ErlangNode.atom(node.name()) + ")"));
    }

    @Test
    void erlangWithoutClientCertificateIsRefused() throws Exception {
        TlsTestFiles good = TlsTestFiles.create(dir.resolve("good"));
        Node node = start("node", "tls", good.settings(), UnaryOperator.identity());
        ErlangNode anonymous = erlang("anonymous", optFile(good.certFile, good.keyFile, good.caFile, false));

        assertEquals(Atom.of("pang"), anonymous.eval("net_adm:ping(" + ErlangNode.atom(node.name()) + ")"));
        awaitWarning("tls handshake from", "the client presented no certificate");
        assertFalse(node.nodes().contains(anonymous.name()));
        assertTrue(node.connect(anonymous.name()), "the node still dials the Erlang node, whose server side has a certificate");
    }

    @Test
    void plaintextErlangDiallingTheTlsNodeIsRefused() throws Exception {
        TlsTestFiles good = TlsTestFiles.create(dir.resolve("good"));
        Node node = start("node", "tls", good.settings(), UnaryOperator.identity());
        String sname = "plain_" + Long.toHexString(System.nanoTime() & 0xffffffL);
        ErlangNode plain = track(ErlangNode.builder(sname).cookie(cookie).epmdPort(epmd.port())
                .workingDir(dir.resolve(sname)).start());

        assertEquals(Atom.of("pang"), plain.eval("net_adm:ping(" + ErlangNode.atom(node.name()) + ")"));
        awaitWarning("tls handshake from", "the peer does not speak TLS");
        assertTrue(node.nodes().isEmpty());
        ErlangNode friend = erlang("friend", good.erlangOptFile(List.of("tlsv1.3")));
        assertEquals(Atom.of("pong"), friend.eval("net_adm:ping(" + ErlangNode.atom(node.name()) + ")"));
    }

    @Test
    void tlsErlangDiallingAPlaintextNodeIsRefused() throws Exception {
        TlsTestFiles good = TlsTestFiles.create(dir.resolve("good"));
        Node plain = start("plain", "tcp", Map.of(), UnaryOperator.identity());
        ErlangNode tls = erlang("tls", good.erlangOptFile(List.of("tlsv1.3")));

        assertEquals(Atom.of("pang"), tls.eval("net_adm:ping(" + ErlangNode.atom(plain.name()) + ")"));
        awaitWarning("incoming connection from",
                "the peer opened a TLS handshake, but this node's carrier (tcp) does not speak TLS");
        assertTrue(plain.nodes().isEmpty());
        Node other = start("other", "tcp", Map.of(), UnaryOperator.identity());
        assertTrue(other.connect(plain.name()), "the plaintext node still serves plaintext peers");
    }

    /** An optfile whose client side presents a certificate only when {@code clientCert} is set. */
    private Path optFile(Path cert, Path key, Path ca, boolean clientCert) throws IOException {
        String files = "{certfile, \"" + cert + "\"}, {keyfile, \"" + key + "\"}, ";
        String versions = "{versions, ['tlsv1.2', 'tlsv1.3']}";
        String trust = "{cacertfile, \"" + ca + "\"}, {verify, verify_peer}, " + versions;
        // The client checks nothing, so that every refusal is the Java node's.
        String text = "[{server, [" + files + trust + ", {fail_if_no_peer_cert, true}]},\n {client, ["
                + (clientCert ? files : "") + "{verify, verify_none}, " + versions + "]}].\n";
        Path file = Files.createTempFile(dir, "ssl_dist", ".conf");
        Files.writeString(file, text);
        return file;
    }
}
