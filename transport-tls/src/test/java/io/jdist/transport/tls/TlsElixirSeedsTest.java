package io.jdist.transport.tls;

import io.jdist.testing.ElixirNode;
import io.jdist.testing.node.AbstractElixirSeedsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The seed documents' walk-throughs over mutual TLS 1.3, with Elixir nodes started as {@code elixir
 * --erl "-proto_dist inet_tls -ssl_dist_optfile FILE"} and certificates made at run time.
 */
class TlsElixirSeedsTest extends AbstractElixirSeedsTest {

    private static final String LOOPBACK_ADDRESS = "127.0.0.1";

    private Path certDir;
    private TlsTestFiles files;
    private Path optFile;

    @BeforeAll
    void makeCertificates() throws IOException {
        certDir = Files.createTempDirectory("jdist-tls-elixir-");
        TlsTestFiles withCa = TlsTestFiles.create(certDir.resolve("ca"));
        // The networking seed names its nodes test1@127.0.0.1. OTP 25's inet_tls_dist checks the
        // host of such a long name as a DNS name, so the certificate carries 127.0.0.1 as one too:
        // with the address entry alone, an Erlang client fails the handshake with {bad_cert,
        // hostname_check_failed}, between two Erlang nodes as well.
        files = withCa.with(certDir.resolve("node"),
                TlsTestFiles.nodeCertificate(withCa.ca).dnsName(LOOPBACK_ADDRESS).build());
        optFile = files.erlangOptFile(List.of("tlsv1.3"));
    }

    @AfterAll
    void deleteCertificates() throws IOException {
        try (Stream<Path> paths = Files.walk(certDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    protected String carrier() {
        return "tls";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return files.settings();
    }

    @Override
    protected ElixirNode.Builder elixirNode(String name, Path workingDir) {
        return super.elixirNode(name, workingDir)
                .erlArguments(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString()));
    }
}
