package io.jdist.transport.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA and a node certificate made at run time in a test's directory, for every name this host's
 * nodes go by: the host name that {@code erl -sname} uses, {@code localhost}, and the loopback
 * addresses. Nothing here is ever committed.
 */
final class TlsTestFiles {

    private static final String CA_FILE = "ca.pem";
    private static final String CERT_FILE = "node.pem";
    private static final String KEY_FILE = "node.key";

    final NodeCertificate ca;
    final NodeCertificate node;
    final Path dir;
    final Path caFile;
    final Path certFile;
    final Path keyFile;

    private TlsTestFiles(Path dir, NodeCertificate ca, NodeCertificate node) {
        this.dir = dir;
        this.ca = ca;
        this.node = node;
        this.caFile = dir.resolve(CA_FILE);
        this.certFile = dir.resolve(CERT_FILE);
        this.keyFile = dir.resolve(KEY_FILE);
        try {
            Files.createDirectories(dir);
            ca.writeCertificateTo(caFile);
            node.writeTo(certFile, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new CA, and a node certificate it signs for this host, written to {@code dir}. */
    static TlsTestFiles create(Path dir) {
        return create(dir, "jdist test CA " + dir.getFileName());
    }

    /**
     * A new CA named {@code caName}, and a node certificate it signs. A CA given another CA's name
     * makes certificates that clients present to servers trusting that other CA (TLS clients choose
     * their certificate by the issuer names a server asks for), which the server must then refuse.
     */
    static TlsTestFiles create(Path dir, String caName) {
        NodeCertificate ca = NodeCertificate.builder().commonName(caName).authority().build();
        return new TlsTestFiles(dir, ca, nodeCertificate(ca).build());
    }

    /** The common name of this CA. */
    String caName() {
        String subject = ca.certificate().getSubjectX500Principal().getName();
        return subject.substring(subject.indexOf("CN=") + 3);
    }

    /** The same CA, another node certificate. */
    TlsTestFiles with(Path otherDir, NodeCertificate other) {
        return new TlsTestFiles(otherDir, ca, other);
    }

    /** A builder for a node certificate of this host, signed by {@code ca}. */
    static NodeCertificate.Builder nodeCertificate(NodeCertificate ca) {
        NodeCertificate.Builder b = NodeCertificate.builder().commonName("jdist test node").signedBy(ca)
                .dnsName(hostName()).dnsName("localhost").ipAddress("127.0.0.1").ipAddress("127.0.1.1");
        return b;
    }

    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Skips the calling test when it asks for {@code provider} openssl and netty-tcnative does not
     * load on this platform (it ships for Linux, macOS and Windows on x86-64 and ARM64).
     */
    static void assumeProvider(String provider) {
        org.junit.jupiter.api.Assumptions.assumeTrue(!provider.equals("openssl")
                || io.netty.handler.ssl.OpenSsl.isAvailable(), "OpenSSL does not load here");
    }

    /** The tls carrier settings for these files. */
    Map<String, String> settings() {
        return settingsOf(dir);
    }

    /** The tls carrier settings for these files, on {@code provider} ({@code auto}, {@code openssl}, {@code jdk}). */
    Map<String, String> settings(String provider) {
        return settingsIn(dir, provider);
    }

    private static Map<String, String> settingsOf(Path dir) {
        return Map.of("certFile", dir.resolve(CERT_FILE).toString(), "keyFile", dir.resolve(KEY_FILE).toString(),
                "caFile", dir.resolve(CA_FILE).toString());
    }

    /**
     * The tls carrier settings, on {@code provider}, for a CA and a node certificate in {@code dir},
     * made there on the first call: for a test whose superclass asks for settings before the
     * test's own set-up runs.
     */
    static synchronized Map<String, String> settingsIn(Path dir, String provider) {
        if (!Files.exists(dir.resolve(CERT_FILE))) {
            create(dir);
        }
        Map<String, String> settings = new HashMap<>(settingsOf(dir));
        settings.put("provider", provider);
        return settings;
    }

    /**
     * An {@code ssl_dist_optfile} for {@code erl} with mutual TLS on these files and the given
     * versions ({@code "tlsv1.3"}, {@code "tlsv1.2"}).
     */
    Path erlangOptFile(List<String> versions) {
        String v = versions.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        String common = "{certfile, \"" + certFile + "\"}, {keyfile, \"" + keyFile + "\"}, {cacertfile, \"" + caFile
                + "\"}, {verify, verify_peer}, {versions, [" + v + "]}"
                // OTP 25 fails every handshake when this TLS 1.2 option meets a TLS 1.3-only list.
                + (versions.contains("tlsv1.2") ? ", {secure_renegotiate, true}" : "");
        String text = "[{server, [" + common + ", {fail_if_no_peer_cert, true}]},\n {client, [" + common + "]}].\n";
        Path file = dir.resolve("ssl_dist.conf");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A JDK TLS context presenting {@code identity} (or nothing) and trusting {@code trusted}. */
    static SSLContext clientContext(NodeCertificate identity, NodeCertificate trusted) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            if (identity != null) {
                keys.setKeyEntry("node", identity.keyPair().getPrivate(), password,
                        identity.chain().toArray(new java.security.cert.Certificate[0]));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
