package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NodeCertificate#read} gives back a CA written to files, able to sign, and refuses what cannot sign. */
class NodeCertificateReadTest {

    @TempDir
    Path dir;

    @Test
    void aCaReadBackFromItsFilesSignsNodeCertificates() throws Exception {
        NodeCertificate ca = NodeCertificate.builder().commonName("read CA").authority().build();
        ca.writeTo(dir.resolve("ca.pem"), dir.resolve("ca.key"));

        NodeCertificate read = NodeCertificate.read(dir.resolve("ca.pem"), dir.resolve("ca.key"));
        NodeCertificate node = NodeCertificate.builder().commonName("n").dnsName("localhost").signedBy(read).build();

        assertEquals(ca.certificate(), read.certificate());
        node.certificate().verify(ca.certificate().getPublicKey());
        assertEquals(List.of(node.certificate()), node.chain(), "a root CA is not sent in the chain");
    }

    @Test
    void anIntermediateReadWithItsRootKeepsOnlyItselfInTheChain() throws Exception {
        NodeCertificate root = NodeCertificate.builder().commonName("root").authority(1).build();
        NodeCertificate intermediate = NodeCertificate.builder().commonName("intermediate").authority().signedBy(root)
                .build();
        Files.writeString(dir.resolve("chain.pem"), intermediate.certificatePem() + root.certificatePem());
        Files.writeString(dir.resolve("intermediate.key"), intermediate.privateKeyTraditionalPem());

        NodeCertificate read = NodeCertificate.read(dir.resolve("chain.pem"), dir.resolve("intermediate.key"));

        assertEquals(List.of(intermediate.certificate()), read.chain());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        NodeCertificate ca = NodeCertificate.builder().authority().build();
        NodeCertificate other = NodeCertificate.builder().authority().build();
        ca.writeCertificateTo(dir.resolve("ca.pem"));
        other.writeTo(dir.resolve("other.pem"), dir.resolve("other.key"));

        IOException e = assertThrows(IOException.class,
                () -> NodeCertificate.read(dir.resolve("ca.pem"), dir.resolve("other.key")));

        assertEquals("the private key in " + dir.resolve("other.key") + " is not the key of the certificate in "
                + dir.resolve("ca.pem"), e.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefusedWithoutAPassword() throws Exception {
        NodeCertificate ca = NodeCertificate.builder().authority().build();
        ca.writeCertificateTo(dir.resolve("ca.pem"));
        Files.writeString(dir.resolve("ca.key"), ca.encryptedPrivateKeyPem("pw".toCharArray()));

        IOException e = assertThrows(IOException.class,
                () -> NodeCertificate.read(dir.resolve("ca.pem"), dir.resolve("ca.key")));

        assertTrue(e.getMessage().contains("is encrypted"), e.getMessage());
    }
}
