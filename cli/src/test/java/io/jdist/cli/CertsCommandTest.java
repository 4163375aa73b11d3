package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import io.jdist.testing.ErlangRuntime;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdist certs} makes the files the {@code certs/} scripts make, with the same extensions, and
 * nodes accept each other with them: Java with Java, and Java with {@code erl -proto_dist inet_tls}.
 */
class CertsCommandTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private final String cookie = "certs-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private EmbeddedEpmd.Lease epmd;

    @BeforeEach
    void startEpmd() throws IOException {
        epmd = EmbeddedEpmd.acquire(InetAddress.getLoopbackAddress(), 0);
        cleanup.push(epmd);
    }

    @AfterEach
    void stopEverything() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    @Test
    void caAndNodeCertificatesHaveTheScriptsFilesAndExtensions() throws Exception {
        Path ca = dir.resolve("ca");
        InProcess.Result madeCa = InProcess.run("certs", "ca", ca.toString(), "--days", "2", "--name", "test CA");
        InProcess.Result madeNode = InProcess.run("certs", "node", ca.toString(), "db1", "--out", dir.resolve("nodes").toString(),
                "--days", "2", "--host", "db1", "--host", "DNS:db1.example.com", "--host", "10.0.0.5");

        assertEquals(0, madeCa.status(), madeCa::toString);
        assertEquals("wrote " + ca.resolve("ca.pem") + " (give it to every node) and " + ca.resolve("ca.key")
                + " (keep it secret, off the nodes)\n", madeCa.out());
        assertEquals(0, madeNode.status(), madeNode::toString);
        assertEquals("wrote " + dir.resolve("nodes/db1.pem") + " and " + dir.resolve("nodes/db1.key")
                + " (DNS:db1, DNS:db1.example.com, IP:10.0.0.5)\n", madeNode.out());
        for (Path key : List.of(ca.resolve("ca.key"), dir.resolve("nodes/db1.key"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
            assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 as openssl genpkey");
        }

        X509Certificate caCert = certificate(ca.resolve("ca.pem"));
        assertEquals("CN=test CA", caCert.getSubjectX500Principal().getName());
        assertEquals(0, caCert.getBasicConstraints(), "CA:TRUE, pathlen:0");
        assertArrayEquals(keyUsage(5, 6), caCert.getKeyUsage(), "keyCertSign, cRLSign");
        assertEquals("EC", caCert.getPublicKey().getAlgorithm());

        X509Certificate node = certificate(dir.resolve("nodes/db1.pem"));
        node.verify(caCert.getPublicKey());
        assertEquals("CN=db1", node.getSubjectX500Principal().getName());
        assertEquals(-1, node.getBasicConstraints(), "CA:FALSE");
        assertArrayEquals(keyUsage(0), node.getKeyUsage(), "digitalSignature");
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), node.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "db1"), List.of(2, "db1.example.com"), List.of(7, "10.0.0.5")),
                List.copyOf(node.getSubjectAlternativeNames()));
        Duration valid = Duration.between(node.getNotBefore().toInstant(), node.getNotAfter().toInstant());
        assertTrue(valid.compareTo(Duration.ofDays(2)) >= 0 && valid.compareTo(Duration.ofDays(2).plusMinutes(3)) < 0,
                valid.toString());
    }

    @Test
    void javaNodesAcceptEachOtherWithTheFilesAndTheIdentityCheck() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(0, InProcess.run("certs", "ca", ca.toString()).status());
        assertEquals(0, InProcess.run("certs", "node", ca.toString(), "a").status()); // default host: this host's
        assertEquals(0, InProcess.run("certs", "node", ca.toString(), "b", "--host", LocalHost.shortName()).status());

        Node a = startNode("a", "tls", Map.of("certFile", ca.resolve("a.pem").toString(), "keyFile",
                ca.resolve("a.key").toString(), "caFile", ca.resolve("ca.pem").toString(), "identityCheck", "true"));
        Node b = startNode("b", "tls", Map.of("certFile", ca.resolve("b.pem").toString(), "keyFile",
                ca.resolve("b.key").toString(), "caFile", ca.resolve("ca.pem").toString(), "identityCheck", "true"));

        assertTrue(a.ping(b.name()), "a reaches b");
        assertTrue(b.ping(a.name()), "b reaches a");
    }

    @Test
    void erlAndAJavaNodeAcceptEachOtherThroughTheOptfile() throws Exception {
        ErlangRuntime runtime = ErlangRuntime.require();
        Path ca = dir.resolve("ca");
        Path optFile = dir.resolve("ssl_dist.conf");
        assertEquals(0, InProcess.run("certs", "ca", ca.toString()).status());
        InProcess.Result node = InProcess.run("certs", "node", ca.toString(), "node", "--optfile", optFile.toString());
        assertEquals(0, node.status(), node::toString);
        assertTrue(node.out().contains("wrote " + optFile + ": erl -proto_dist inet_tls -ssl_dist_optfile " + optFile),
                node.out());

        ErlNode erl = ErlNode.builder(runtime.erl(), "certs_erl_" + suffix()).cookie(cookie).epmdPort(epmd.port())
                .workingDir(Files.createDirectories(dir.resolve("erl")))
                .arguments(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString())).start();
        cleanup.push(erl);
        erl.awaitReady(Duration.ofSeconds(60));
        Node java = startNode("java", "tls", Map.of("optFile", optFile.toString()));

        assertTrue(java.ping(erl.name()), "the Java node reaches erl over TLS");
        assertEquals(Atom.of("pong"), java.rpc(erl.name(), "net_adm", "ping", List.of(Atom.of(java.name())),
                Duration.ofSeconds(10)), "and erl accepts the Java node");
    }

    @Test
    void aMissingCaIsOneLineSayingHowToMakeOne() {
        Path ca = dir.resolve("nowhere");

        InProcess.Result result = InProcess.run("certs", "node", ca.toString(), "a");

        assertEquals(1, result.status());
        assertEquals("error: no CA in " + ca + ": " + ca.resolve("ca.pem") + " does not exist; make one with:"
                + " jdist certs ca " + ca + "\n", result.err());
    }

    @Test
    void existingFilesAreNeverOverwritten() {
        Path ca = dir.resolve("ca");
        assertEquals(0, InProcess.run("certs", "ca", ca.toString()).status());
        assertEquals(0, InProcess.run("certs", "node", ca.toString(), "a").status());

        InProcess.Result again = InProcess.run("certs", "ca", ca.toString());
        InProcess.Result nodeAgain = InProcess.run("certs", "node", ca.toString(), "a");

        assertEquals(1, again.status());
        assertEquals("error: " + ca.resolve("ca.pem") + " exists already; refusing to overwrite\n", again.err());
        assertEquals(1, nodeAgain.status());
        assertEquals("error: " + ca.resolve("a.pem") + " exists already; refusing to overwrite\n", nodeAgain.err());
    }

    @Test
    void aCaKeyOfAnotherCaIsRefusedAndVerboseShowsTheStackTrace() throws Exception {
        Path ca = dir.resolve("ca");
        Path other = dir.resolve("other");
        assertEquals(0, InProcess.run("certs", "ca", ca.toString()).status());
        assertEquals(0, InProcess.run("certs", "ca", other.toString()).status());
        Files.copy(other.resolve("ca.key"), ca.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        InProcess.Result result = InProcess.run("certs", "node", ca.toString(), "a");
        InProcess.Result verbose = InProcess.run("certs", "node", ca.toString(), "a", "--verbose");

        String line = "error: the private key in " + ca.resolve("ca.key") + " is not the key of the certificate in "
                + ca.resolve("ca.pem");
        assertEquals(1, result.status());
        assertEquals(line + "\n", result.err());
        assertEquals(1, verbose.status());
        assertTrue(verbose.err().startsWith(line + "\njava.io.IOException: "), verbose.err());
        assertTrue(verbose.err().contains("\tat io.jdist.transport.tls.NodeCertificate.read("), verbose.err());
    }

    @Test
    void aHostThatIsNeitherANameNorAnAddressIsRefused() {
        Path ca = dir.resolve("ca");
        assertEquals(0, InProcess.run("certs", "ca", ca.toString()).status());

        InProcess.Result result = InProcess.run("certs", "node", ca.toString(), "a", "--host", "IP:db1");

        assertEquals(1, result.status());
        assertEquals("error: expected an IP address after IP: but was 'db1'\n", result.err());
    }

    private Node startNode(String prefix, String carrier, Map<String, String> settings) throws IOException {
        NodeConfig.Builder config = NodeConfig.builder().sname(prefix + "_" + suffix()).cookie(cookie).carrier(carrier)
                .epmdPort(epmd.port()).bindAddress(InetAddress.getLoopbackAddress());
        settings.forEach(config::carrierSetting);
        Node node = Node.start(config.build());
        cleanup.push(node);
        return node;
    }

    private static String suffix() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0x7fffffff);
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A key usage array, as X509Certificate.getKeyUsage gives it, with the given bits set. */
    private static boolean[] keyUsage(int... bits) {
        boolean[] usage = new boolean[9];
        for (int bit : bits) {
            usage[bit] = true;
        }
        return usage;
    }
}
