package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Carrier;
import io.jdist.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls carrier's settings and the Erlang optfile: what is read, what is refused, and how it is said. */
class TlsSettingsTest {

    @TempDir
    Path dir;
    private TlsTestFiles files;

    @BeforeEach
    void makeFiles() {
        files = TlsTestFiles.create(dir.resolve("pki"));
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsAnErlangOptFile() throws IOException {
        Path optFile = write("ssl_dist.conf", """
                %% As in OTP's documentation, with the files of this test.
                [{server, [{certfile, "%1$s"}, {keyfile, "%2$s"}, {cacertfile, "%3$s"},
                           {verify, verify_peer}, {fail_if_no_peer_cert, true},
                           {secure_renegotiate, true}, {depth, 2},
                           {versions, ['tlsv1.2']},
                           {ciphers, ["ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_AES_128_GCM_SHA256"]}]},
                 {client, [{certfile, <<"%1$s">>}, {keyfile, "%2$s"}, {cacertfile, "%3$s"},
                           {verify, verify_none}, {server_name_indication, disable}]}].
                """.formatted(files.certFile, files.keyFile, files.caFile));

        TlsSettings settings = TlsSettings.parse(Map.of("optFile", optFile.toString()));

        RoleOptions server = settings.server();
        assertEquals(files.certFile, server.certFile);
        assertEquals(files.caFile, server.caFile);
        assertTrue(server.verifyPeer);
        assertTrue(server.failIfNoPeerCert);
        assertEquals(2, server.depth);
        assertEquals(List.of("TLSv1.2"), server.protocols);
        assertEquals(List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"), server.ciphers);
        RoleOptions client = settings.client();
        assertEquals(files.certFile, client.certFile);
        assertFalse(client.verifyPeer);
        assertEquals("", client.serverName);
        assertEquals(RoleOptions.DEFAULT_PROTOCOLS, client.protocols);
    }

    @Test
    void settingsOverrideTheOptFileForBothRoles() throws IOException {
        Path optFile = write("ssl_dist.conf", "[{server, [{certfile, \"/nowhere/a.pem\"}, {verify, verify_none}]},"
                + " {client, [{certfile, \"/nowhere/a.pem\"}]}].");
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("optFile", optFile.toString());
        settings.put("verify", "peer");

        TlsSettings parsed = TlsSettings.parse(settings);

        assertEquals(files.certFile, parsed.server().certFile);
        assertEquals(files.certFile, parsed.client().certFile);
        assertTrue(parsed.server().verifyPeer);
    }

    @Test
    void namesEveryUnsupportedOptFileOption() throws IOException {
        Path optFile = write("ssl_dist.conf", "[{server, [{certfile, \"a.pem\"}, {crl_check, peer},"
                + " {verify_fun, {fun inet_tls_dist:verify_client/3, []}}, {dhfile, \"dh.pem\"}]},"
                + " {client, [{fail_if_no_peer_cert, true}]}].");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.parse(Map.of("optFile", optFile.toString())));

        assertTrue(e.getMessage().startsWith("tls optFile " + optFile + ": unsupported server options "
                + "[crl_check, dhfile, verify_fun]; jdist reads [cacertfile, certfile, ciphers, depth, "
                + "fail_if_no_peer_cert, keyfile, password, server_name_indication, verify, versions]"), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported client options [fail_if_no_peer_cert]"), e.getMessage());
    }

    @Test
    void saysWhatIsWrongInAnOptFile() throws IOException {
        Path notATerm = write("bad.conf", "[{server, [{certfile, \"a.pem\"}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.parse(Map.of("optFile", notATerm.toString())));
        assertTrue(e.getMessage().startsWith("tls optFile " + notATerm + " is not an Erlang term: "), e.getMessage());

        Path oldTls = write("old.conf", "[{server, [{versions, ['tlsv1.1']}]}].");
        e = assertThrows(IllegalArgumentException.class, () -> TlsSettings.parse(Map.of("optFile", oldTls.toString())));
        assertEquals("tls optFile " + oldTls + ": server option versions: expected 'tlsv1.3' or 'tlsv1.2' but was "
                + "'tlsv1.1' (jdist speaks no older TLS)", e.getMessage());
    }

    @Test
    void refusesAKeyPasswordInASetting() {
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("keyPassword", "secret-in-the-process-list");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsSettings.parse(settings));
        assertTrue(e.getMessage().startsWith("tls setting keyPassword is not accepted"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-in-the-process-list"));
    }

    @Test
    void refusesUnknownSettingsListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.parse(Map.of("certfile", "a.pem")));
        assertEquals("unknown tls carrier settings [certfile]; expected some of [caFile, certFile, ciphers, "
                + "connectTimeoutMillis, identityCheck, ioThreads, keyFile, keyPasswordEnv, keyPasswordFile, optFile, "
                + "peerVerifier, protocols, provider, requireClientCert, transport, verify]", e.getMessage());
    }

    @Test
    void saysHowToGiveTheMissingCaAndCertificate() {
        IllegalArgumentException noCert = assertThrows(IllegalArgumentException.class, () -> TlsSettings.parse(Map.of()));
        assertEquals("tls server needs a certificate: set certFile (-Ddist.tls.certFile=node.pem) or certfile in "
                + "the server options of optFile", noCert.getMessage());
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.remove("caFile");
        IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> TlsSettings.parse(settings));
        assertTrue(noCa.getMessage().startsWith("tls server verifies its peers but has no CA: set caFile"),
                noCa.getMessage());
    }

    @Test
    void loadsKeysInEveryPemFormat() throws IOException {
        NodeCertificate ec = TlsTestFiles.nodeCertificate(files.ca).build();
        NodeCertificate rsa = TlsTestFiles.nodeCertificate(files.ca).rsa(2048).build();
        Path password = write("key.password", "correct horse\n");
        Map<String, String> pems = Map.of(
                "ec-pkcs8", ec.privateKeyPem(),
                "ec-sec1", ec.privateKeyTraditionalPem(),
                "ec-pkcs8-encrypted", ec.encryptedPrivateKeyPem("correct horse".toCharArray()),
                "rsa-pkcs8", rsa.privateKeyPem(),
                "rsa-pkcs1", rsa.privateKeyTraditionalPem(),
                "rsa-pkcs8-encrypted", rsa.encryptedPrivateKeyPem("correct horse".toCharArray()));
        for (var pem : pems.entrySet()) {
            NodeCertificate owner = pem.getKey().startsWith("ec") ? ec : rsa;
            Path cert = dir.resolve(pem.getKey() + ".pem");
            owner.writeCertificateTo(cert);
            Path key = write(pem.getKey() + ".key", pem.getValue());
            Map<String, String> settings = new HashMap<>(files.settings());
            settings.put("certFile", cert.toString());
            settings.put("keyFile", key.toString());
            if (pem.getKey().endsWith("encrypted")) {
                settings.put("keyPasswordFile", password.toString());
            }
            for (String provider : List.of("jdk", "openssl")) {
                if (provider.equals("openssl") && !io.netty.handler.ssl.OpenSsl.isAvailable()) {
                    continue;
                }
                settings.put("provider", provider);
                Carrier carrier = new TlsCarrierProvider().create(settings);
                carrier.close();
            }
        }
    }

    @Test
    void readsTheKeyFromTheCertificateFileWhenNoKeyFileIsGiven() throws IOException {
        Path bundle = write("bundle.pem", files.node.certificatePem() + files.node.privateKeyPem());
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.remove("keyFile");
        settings.put("certFile", bundle.toString());
        new TlsCarrierProvider().create(settings).close();

        Path keyOnly = write("key-only.pem", files.node.privateKeyPem());
        settings.put("certFile", keyOnly.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: no certificate in " + keyOnly + "; expected a PEM block -----BEGIN CERTIFICATE-----",
                e.getMessage());
    }

    @Test
    void saysWhichFileIsMissing() {
        Path missing = dir.resolve("missing.pem");
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("certFile", missing.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: cannot read the certificates in " + missing + ": no such file", e.getMessage());

        settings.putAll(files.settings());
        settings.put("keyFile", missing.toString());
        e = assertThrows(IllegalArgumentException.class, () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: cannot read the private key in " + missing + ": no such file", e.getMessage());

        settings.putAll(files.settings());
        settings.put("caFile", missing.toString());
        e = assertThrows(IllegalArgumentException.class, () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: cannot read the certificates in " + missing + ": no such file", e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.parse(Map.of("optFile", missing.toString())));
        assertEquals("cannot read tls optFile " + missing + ": no such file", e.getMessage());
    }

    @Test
    void saysWhenTheKeyPasswordIsWrongOrMissingWithoutShowingIt() throws IOException {
        Path key = write("encrypted.key", files.node.encryptedPrivateKeyPem("right".toCharArray()));
        Path wrong = write("wrong.password", "not-the-password\n");
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("keyFile", key.toString());

        settings.put("keyPasswordFile", wrong.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsCarrierProvider().create(settings));
        assertTrue(e.getMessage().startsWith("tls server: cannot decrypt the private key in " + key + " (wrong password?)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"));

        settings.remove("keyPasswordFile");
        e = assertThrows(IllegalArgumentException.class, () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: the private key in " + key + " is encrypted; set keyPasswordFile or keyPasswordEnv",
                e.getMessage());

        Path noPasswordFile = dir.resolve("no.password");
        settings.put("keyPasswordFile", noPasswordFile.toString());
        e = assertThrows(IllegalArgumentException.class, () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: cannot read the key password file " + noPasswordFile + ": no such file",
                e.getMessage());

        settings.remove("keyPasswordFile");
        settings.put("keyPasswordEnv", "JDIST_TEST_NO_SUCH_VARIABLE");
        e = assertThrows(IllegalArgumentException.class, () -> new TlsCarrierProvider().create(settings));
        assertEquals("tls server: the key password environment variable JDIST_TEST_NO_SUCH_VARIABLE is not set",
                e.getMessage());
    }

    @Test
    void turningVerificationOffTakesAnOptionAndLogsAWarning() {
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("verify", "none");
        settings.put("requireClientCert", "false");
        try (LogCapture logs = LogCapture.start("io.jdist.transport.tls")) {
            new TlsCarrierProvider().create(settings).close();
            assertTrue(logs.warnings().stream().anyMatch(e -> e.text().startsWith(
                    "tls server does not verify its peers' certificates (verify=none)")), logs.describe());
            assertTrue(logs.warnings().stream().anyMatch(e -> e.text().startsWith(
                    "tls client does not verify its peers' certificates (verify=none)")), logs.describe());
        }
        settings.put("verify", "peer");
        try (LogCapture logs = LogCapture.start("io.jdist.transport.tls")) {
            new TlsCarrierProvider().create(settings).close();
            assertEquals(1, logs.warnings().size(), logs.describe());
            assertTrue(logs.warnings().get(0).text().startsWith("tls server accepts clients without a certificate "
                    + "(requireClientCert=false)"), logs.describe());
        }
        try (LogCapture logs = LogCapture.start("io.jdist.transport.tls")) {
            new TlsCarrierProvider().create(files.settings()).close();
            assertEquals(List.of(), logs.warnings(), "no warning with mutual authentication on");
            assertEquals(1, logs.entries().stream().filter(e -> e.text().startsWith("tls carrier uses ")).count(),
                    "the provider is logged once: " + logs.describe());
        }
    }
}
