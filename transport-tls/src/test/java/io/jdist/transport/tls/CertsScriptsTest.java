package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Node;
import io.jdist.carrier.Carrier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code certs/} scripts make what the tls carrier needs: a CA and node certificates that two
 * nodes accept from each other, keys readable by their owner only, and keys that {@code openssl}
 * converts to the other PEM forms still load.
 */
class CertsScriptsTest extends TlsNodeTestBase {

    private Path scripts;

    @BeforeEach
    void findScripts() {
        scripts = Path.of(System.getProperty("basedir", ".")).resolve("../certs").normalize();
        Assumptions.assumeTrue(Files.isExecutable(scripts.resolve("make-ca.sh")), "no certs/ scripts at " + scripts);
        Assumptions.assumeTrue(run(List.of("openssl", "version")).startsWith("OpenSSL"), "openssl is not installed");
    }

    private String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " failed with status " + p.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void scriptsMakeACaAndNodeCertificatesThatNodesAccept() throws Exception {
        Path ca = dir.resolve("ca");
        run(List.of(scripts.resolve("make-ca.sh").toString(), ca.toString(), "2", "test cluster CA"));
        List<String> nodeCert = new ArrayList<>(List.of(scripts.resolve("make-node-cert.sh").toString(), ca.toString(),
                dir.resolve("nodes").toString(), "a", "2", "DNS:" + TlsTestFiles.hostName(), "DNS:localhost",
                "IP:127.0.0.1"));
        run(nodeCert);
        nodeCert.set(3, "b");
        run(nodeCert);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dir.resolve("nodes/a.key")));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(ca.resolve("ca.key")));

        Node a = start("a", "tls", settings("a", ca), b -> b);
        Map<String, String> checking = new HashMap<>(settings("b", ca));
        checking.put("identityCheck", "true");
        Node b = start("b", "tls", checking, UnaryOperator.identity());
        assertTrue(a.ping(b.name()), "a node with a script-made certificate reaches another");
        assertTrue(b.ping(a.name()), "and the other way, with the identity check on");
    }

    @Test
    void aCaMadeByTheScriptSignsInJavaForNodesWithScriptMadeCertificates() throws Exception {
        Path ca = dir.resolve("ca");
        run(List.of(scripts.resolve("make-ca.sh").toString(), ca.toString(), "2"));
        run(List.of(scripts.resolve("make-node-cert.sh").toString(), ca.toString(), dir.resolve("nodes").toString(),
                "a", "2", "DNS:" + TlsTestFiles.hostName(), "DNS:localhost", "IP:127.0.0.1"));
        NodeCertificate read = NodeCertificate.read(ca.resolve("ca.pem"), ca.resolve("ca.key"));
        TlsTestFiles.nodeCertificate(read).build().writeTo(dir.resolve("nodes/b.pem"), dir.resolve("nodes/b.key"));

        Node a = start("a", "tls", settings("a", ca), UnaryOperator.identity());
        Node b = start("b", "tls", settings("b", ca), UnaryOperator.identity());

        assertTrue(b.ping(a.name()), "a certificate signed in Java by the script's CA is accepted");
    }

    @Test
    void keysConvertedByOpensslLoad() throws Exception {
        Path ca = dir.resolve("ca");
        run(List.of(scripts.resolve("make-ca.sh").toString(), ca.toString(), "2"));
        run(List.of(scripts.resolve("make-node-cert.sh").toString(), ca.toString(), dir.toString(), "n", "2",
                "DNS:localhost"));
        Path password = dir.resolve("pw");
        Files.writeString(password, "s3cret\n");
        Map<String, List<String>> conversions = Map.of(
                "sec1.key", List.of("openssl", "ec", "-in", "n.key", "-out", "sec1.key"),
                "legacy-encrypted.key", List.of("openssl", "ec", "-in", "n.key", "-aes256", "-passout", "file:pw",
                        "-out", "legacy-encrypted.key"),
                "pkcs8-encrypted.key", List.of("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "n.key",
                        "-passout", "file:pw", "-out", "pkcs8-encrypted.key"));
        for (var conversion : conversions.entrySet()) {
            run(conversion.getValue());
            Map<String, String> settings = new HashMap<>(Map.of("certFile", dir.resolve("n.pem").toString(),
                    "keyFile", dir.resolve(conversion.getKey()).toString(), "caFile", ca.resolve("ca.pem").toString()));
            if (conversion.getKey().contains("encrypted")) {
                settings.put("keyPasswordFile", password.toString());
            }
            Carrier carrier = new TlsCarrierProvider().create(settings);
            carrier.close();
        }
        run(List.of("openssl", "genrsa", "-traditional", "-out", "rsa.key", "2048"));
        String pkcs1 = Files.readString(dir.resolve("rsa.key"));
        assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1.lines().findFirst().orElse(""));
        Path key = dir.resolve("rsa.key");
        assertTrue(PemFiles.privateKey(key, null).getAlgorithm().equals("RSA"));
    }

    private Map<String, String> settings(String node, Path ca) {
        return Map.of("certFile", dir.resolve("nodes/" + node + ".pem").toString(),
                "keyFile", dir.resolve("nodes/" + node + ".key").toString(), "caFile", ca.resolve("ca.pem").toString());
    }
}
