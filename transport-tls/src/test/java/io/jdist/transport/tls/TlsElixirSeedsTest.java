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

    private Path certDir;
    private TlsTestFiles files;
    private Path optFile;

    @BeforeAll
    void makeCertificates() throws IOException {
        certDir = Files.createTempDirectory("jdist-tls-elixir-");
        files = TlsTestFiles.create(certDir);
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
    protected ElixirNode.Builder elixirNode(String sname, Path workingDir) {
        return super.elixirNode(sname, workingDir)
                .erlArguments(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString()));
    }
}
