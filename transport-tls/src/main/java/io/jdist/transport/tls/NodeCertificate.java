package io.jdist.transport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate and its private key, made in code: a certificate authority, or a node certificate
 * signed by one, for mutual TLS between nodes. Tests make their certificates with it at run time,
 * and operators can make a cluster's certificates without {@code openssl}.
 *
 * <pre>{@code
 * NodeCertificate ca = NodeCertificate.builder().commonName("my cluster CA").authority().build();
 * NodeCertificate node = NodeCertificate.builder().commonName("app@db1")
 *         .dnsName("db1.example.com").ipAddress("10.0.0.5").signedBy(ca).build();
 * node.writeTo(Path.of("node.pem"), Path.of("node.key"));   // the key file readable by its owner only
 * ca.writeCertificateTo(Path.of("ca.pem"));
 * }</pre>
 *
 * <p>Keys are EC P-256 unless {@link Builder#rsa} is asked for. A CA may sign certificates only
 * ({@code keyCertSign}, {@code cRLSign}); a node certificate may authenticate both ends of a
 * connection ({@code digitalSignature}, extended key usages {@code serverAuth} and {@code
 * clientAuth}), as distribution needs: every node both accepts and dials. Validity defaults to one
 * day: long enough for a test, short enough that a leaked key soon stops mattering.
 */
public final class NodeCertificate {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private final List<X509Certificate> chain;

    private NodeCertificate(X509Certificate certificate, KeyPair keyPair, List<X509Certificate> chain) {
        this.certificate = certificate;
        this.keyPair = keyPair;
        this.chain = chain;
    }

    /** A builder for an EC P-256 node certificate, valid from a minute ago for one day. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A certificate and its private key read from PEM files, such as the CA that {@code
     * certs/make-ca.sh} or {@code jdist certs ca} made, to sign node certificates with ({@link
     * Builder#signedBy}). The certificate file may hold a chain, its own certificate first; the key
     * file any unencrypted form {@code openssl} writes.
     *
     * @throws IOException if a file cannot be read, holds no certificate or no key, the key is
     *     encrypted, or it is not the certificate's
     */
    public static NodeCertificate read(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> certificates = PemFiles.certificates(certFile);
        PrivateKey key;
        try {
            key = PemFiles.privateKey(keyFile, null);
        } catch (PemFiles.EncryptedKeyException e) {
            throw new IOException("the private key in " + keyFile
                    + " is encrypted; only unencrypted keys can be read to sign with", e);
        }
        X509Certificate certificate = certificates.get(0);
        if (!belongTogether(key, certificate.getPublicKey())) {
            throw new IOException("the private key in " + keyFile + " is not the key of the certificate in " + certFile);
        }
        // As chain() promises: the certificate and the intermediates above it, never a root.
        List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
        certificates.stream().skip(1).filter(c -> !Builder.isSelfSigned(c)).forEach(chain::add);
        return new NodeCertificate(certificate, new KeyPair(certificate.getPublicKey(), key), List.copyOf(chain));
    }

    /** Whether a signature made with {@code key} verifies with {@code publicKey}. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws IOException {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check that the private key belongs to the certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The key pair; keep its private half secret. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** This certificate, then the intermediate CAs above it (not the root), as a peer is sent it. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The certificate chain as PEM, this certificate first. */
    public String certificatePem() {
        return pem(chain.toArray());
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
        try {
            return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The private key in OpenSSL's traditional form: PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----})
     * for RSA, SEC1 ({@code -----BEGIN EC PRIVATE KEY-----}) for EC.
     */
    public String privateKeyTraditionalPem() {
        if (!keyPair.getPrivate().getAlgorithm().equals("EC")) {
            return pem(keyPair);
        }
        // SEC1 as OpenSSL writes it: with the curve and the public key, which the JDK's PKCS#8 leaves out.
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
        SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) keyPair.getPrivate();
        try {
            ECPrivateKey sec1 = new ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                    publicInfo.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private key as PKCS#8 encrypted with {@code password} (AES-256-CBC, PBKDF2). */
    public String encryptedPrivateKeyPem(char[] password) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(PemFiles.BC).setRandom(RANDOM)
                    .setPassword(password).build();
            return pem(new JcaPKCS8Generator(keyPair.getPrivate(), encryptor).generate());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the certificate chain to {@code certFile} and the PKCS#8 private key to {@code keyFile},
     * the key file readable and writable by its owner only where the file system has POSIX
     * permissions.
     */
    public void writeTo(Path certFile, Path keyFile) throws IOException {
        writeCertificateTo(certFile);
        writeSecret(keyFile, privateKeyPem());
    }

    /** Writes the certificate chain to {@code certFile}, as for a CA file. */
    public void writeCertificateTo(Path certFile) throws IOException {
        Files.writeString(certFile, certificatePem(), StandardCharsets.US_ASCII);
    }

    /** Writes {@code text} to a file that only its owner may read, creating or replacing it. */
    static void writeSecret(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // No POSIX permissions here (Windows): the directory's ACL applies.
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "NodeCertificate[" + certificate.getSubjectX500Principal().getName() + ", issued by "
                + certificate.getIssuerX500Principal().getName() + ", valid until "
                + certificate.getNotAfter().toInstant() + "]";
    }

    /** Describes a {@link NodeCertificate}. */
    public static final class Builder {

        private String commonName = "jdist node";
        private String organizationalUnit;
        private final List<GeneralName> altNames = new ArrayList<>();
        private Instant notBefore;
        private Instant notAfter;
        private Duration validity = Duration.ofDays(1);
        private int maxIntermediates = -1;
        private NodeCertificate issuer;
        private int rsaBits;

        private Builder() {
        }

        /** The subject's common name ({@code CN}); default {@code jdist node}. */
        public Builder commonName(String commonName) {
            this.commonName = Objects.requireNonNull(commonName, "commonName");
            return this;
        }

        /** The subject's organisational unit ({@code OU}), for a {@link PeerVerifier} to look at. */
        public Builder organizationalUnit(String organizationalUnit) {
            this.organizationalUnit = Objects.requireNonNull(organizationalUnit, "organizationalUnit");
            return this;
        }

        /** Adds a DNS subject alternative name: the host part of the node names this certificate is for. */
        public Builder dnsName(String host) {
            altNames.add(new GeneralName(GeneralName.dNSName, host));
            return this;
        }

        /**
         * Adds an IP address subject alternative name, for nodes named by address ({@code
         * app@10.0.0.5}). Erlang peers need the address as a {@link #dnsName} too: OTP 25's {@code
         * inet_tls_dist} checks the host of a name as a DNS name even when it is an address.
         */
        public Builder ipAddress(String address) {
            altNames.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        /** Valid for {@code validity} from a minute ago (clocks differ a little); default one day. */
        public Builder validity(Duration validity) {
            this.validity = Objects.requireNonNull(validity, "validity");
            this.notBefore = null;
            this.notAfter = null;
            return this;
        }

        /** Valid exactly from {@code notBefore} to {@code notAfter}, as for an expired certificate in a test. */
        public Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
            this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
            return this;
        }

        /** Makes a certificate authority that may sign node certificates directly (no intermediates). */
        public Builder authority() {
            return authority(0);
        }

        /** Makes a certificate authority with up to {@code maxIntermediates} CAs below it. */
        public Builder authority(int maxIntermediates) {
            if (maxIntermediates < 0) {
                throw new IllegalArgumentException("expected a non-negative path length but was " + maxIntermediates);
            }
            this.maxIntermediates = maxIntermediates;
            return this;
        }

        /** Signs with {@code issuer}'s key, which must be a certificate authority; default self-signed. */
        public Builder signedBy(NodeCertificate issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** An RSA key of {@code bits} bits (at least 2048) instead of EC P-256. */
        public Builder rsa(int bits) {
            if (bits < 2048) {
                throw new IllegalArgumentException("expected an RSA key of at least 2048 bits but was " + bits);
            }
            this.rsaBits = bits;
            return this;
        }

        /** Generates the key and signs the certificate. */
        public NodeCertificate build() {
            try {
                KeyPair keys = generateKeys();
                Instant from = notBefore != null ? notBefore : Instant.now().minusSeconds(60);
                Instant until = notAfter != null ? notAfter : from.plus(validity).plusSeconds(60);
                X500Name subject = subject();
                X500Name issuerName = issuer != null
                        ? X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded()) : subject;
                KeyPair signer = issuer != null ? issuer.keyPair : keys;
                X509v3CertificateBuilder cert = new JcaX509v3CertificateBuilder(issuerName,
                        new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(from), Date.from(until), subject,
                        keys.getPublic());
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                cert.addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()));
                cert.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(signer.getPublic()));
                if (maxIntermediates >= 0) {
                    cert.addExtension(Extension.basicConstraints, true, new BasicConstraints(maxIntermediates));
                    cert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                } else {
                    cert.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    int usage = KeyUsage.digitalSignature | (rsaBits > 0 ? KeyUsage.keyEncipherment : 0);
                    cert.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                    cert.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                }
                if (!altNames.isEmpty()) {
                    cert.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(altNames.toArray(new GeneralName[0])));
                }
                String algorithm = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
                X509Certificate signed = new JcaX509CertificateConverter()
                        .getCertificate(cert.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(signed);
                if (issuer != null && !isSelfSigned(issuer.certificate)) {
                    chain.addAll(issuer.chain);
                }
                return new NodeCertificate(signed, keys, List.copyOf(chain));
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("cannot make a certificate for " + commonName + ": " + e.getMessage(), e);
            }
        }

        private KeyPair generateKeys() throws GeneralSecurityException {
            if (rsaBits > 0) {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(rsaBits, RANDOM);
                return rsa.generateKeyPair();
            }
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return ec.generateKeyPair();
        }

        private X500Name subject() {
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
            if (organizationalUnit != null) {
                name.addRDN(BCStyle.OU, organizationalUnit);
            }
            name.addRDN(BCStyle.CN, commonName);
            return name.build();
        }

        private static boolean isSelfSigned(X509Certificate c) {
            return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
        }
    }
}
