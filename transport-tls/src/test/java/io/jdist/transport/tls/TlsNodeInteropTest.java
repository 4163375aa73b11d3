package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.LogCapture;
import io.jdist.testing.node.AbstractNodeInteropTest;
import io.jdist.testing.node.RawConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node interop suite over mutual TLS, against {@code erl -proto_dist inet_tls
 * -ssl_dist_optfile FILE}, with certificates made at run time: TLS 1.3 on the default provider
 * (OpenSSL where it loads). Subclasses run it on TLS 1.2 and on the JDK's provider.
 */
class TlsNodeInteropTest extends AbstractNodeInteropTest {

    private Path certDir;
    private TlsTestFiles files;
    private Path optFile;
    private final Logger tlsLogger = Logger.getLogger("io.jdist.transport.tls");
    private Level previousLevel;

    /** The TLS versions both sides speak, in OTP's spelling. */
    protected List<String> erlangVersions() {
        return List.of("tlsv1.3");
    }

    /** The tls carrier's provider setting. */
    protected String provider() {
        return "auto";
    }

    /** The protocol a Java node must end up with. */
    protected String expectedProtocol() {
        return "TLSv1.3";
    }

    @BeforeAll
    void makeCertificates() throws IOException {
        certDir = Files.createTempDirectory("jdist-tls-interop-");
        files = TlsTestFiles.create(certDir);
        optFile = files.erlangOptFile(erlangVersions());
        // The negotiated protocol is logged at debug level; let the captures see it.
        previousLevel = tlsLogger.getLevel();
        tlsLogger.setLevel(Level.FINE);
    }

    @AfterAll
    void deleteCertificates() throws IOException {
        tlsLogger.setLevel(previousLevel);
        try (Stream<Path> paths = Files.walk(certDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The {@code ssl_dist_optfile} the suite's {@code erl} nodes use. */
    protected Path erlangOptFile() {
        return optFile;
    }

    @Override
    protected String carrier() {
        return "tls";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        Map<String, String> settings = files.settings(provider());
        settings.put("protocols", String.join(",", erlangVersions().stream()
                .map(v -> v.replace("tlsv", "TLSv")).toList()));
        return settings;
    }

    @Override
    protected ErlangNode.Builder erlangNode(String sname, Path workingDir) {
        return super.erlangNode(sname, workingDir)
                .arguments(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile.toString()));
    }

    @Override
    protected RawConnection openRawConnection(Node node) throws IOException {
        SSLSocket socket = (SSLSocket) TlsTestFiles.clientContext(files.node, files.ca).getSocketFactory()
                .createSocket(hostAddress(), listenPort(node));
        try {
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            return new RawConnection(socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    protected int handshakeLengthBytes() {
        return 4;
    }

    @Test
    void negotiatesTheConfiguredProtocolWithErlangBothWays() throws InterruptedException {
        try (LogCapture logs = LogCapture.start("io.jdist.transport.tls")) {
            Node java = startJava("java");
            ErlangNode erl = startErlang("erl");
            assertTrue(java.connect(erl.name()), "connect to " + erl.name());
            logs.await(e -> e.text().startsWith("tls " + expectedProtocol() + " "), Duration.ofSeconds(10),
                    "saying the outgoing connection uses " + expectedProtocol());
            java.disconnect(erl.name());
            String javaAtom = ErlangNode.atom(java.name());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (erl.eval("lists:member(" + javaAtom + ", nodes(hidden))").equals(Atom.TRUE)) {
                assertTrue(System.nanoTime() < deadline, "Erlang still lists " + java.name() + " after disconnect");
                Thread.sleep(20);
            }
            int before = logs.entries().size();
            assertEquals(Atom.TRUE, erl.eval("net_kernel:connect_node(" + javaAtom + ")"));
            logs.await(e -> logs.entries().size() > before && e.text().startsWith("tls " + expectedProtocol() + " ")
                    && logs.entries().indexOf(e) >= before, Duration.ofSeconds(10),
                    "saying the incoming connection uses " + expectedProtocol());
        }
    }
}
