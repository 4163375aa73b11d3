package io.jdist.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.tck.RecordingHandler;
import io.jdist.testing.LogCapture;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is particular to the unix carrier: its settings and its check of the peer's user. What
 * every carrier must do is the kit's ({@link UnixCarrierConformanceTest}).
 */
class UnixCarrierTest {

    @TempDir
    Path dir;

    private static Carrier carrier(String transport, String peers) {
        return new UnixCarrierProvider().create(Map.of("transport", transport, "peers", peers));
    }

    @Test
    void refusesUnknownSettingsListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnixCarrierProvider().create(Map.of("socketDir", "/tmp")));
        assertEquals("unknown unix carrier settings [socketDir]; expected some of [connectTimeoutMillis, dir, "
                + "ioThreads, peers, transport]", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void aPeerRunningAsAnotherUserIsRefusedUnlessPeersIsAny(String transport) throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
                "switching to another user for the peer needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs setpriv and python3");
        // Open the way for user nobody, so that only the credential check stands in it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("n@h"));
        for (String peers : new String[] {"same", "any"}) {
            try (Carrier carrier = carrier(transport, peers); LogCapture logs = LogCapture.start("io.jdist.transport.unix")) {
                RecordingHandler serverSide = new RecordingHandler();
                try (CarrierServer server = carrier.listen(address, () -> serverSide)) {
                    Files.setPosixFilePermissions(address.getPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
                    Process nobody = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                            "--clear-groups", "/usr/bin/python3", "-c",
                            "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]);"
                                    + " s.sendall(b'x'); s.recv(1)",
                            address.getPath().toString()).redirectErrorStream(true).start();
                    try {
                        if (peers.equals("same")) {
                            logs.await(e -> e.isWarning() && e.text().contains("the peer runs as"),
                                    Duration.ofSeconds(10), "a warning about the other user");
                            assertTrue(nobody.waitFor(10, TimeUnit.SECONDS), "the refused peer was not closed");
                            assertEquals(0, serverSide.connectedCalls(), "jdist heard of a refused peer");
                        } else {
                            serverSide.awaitBytes(1, Duration.ofSeconds(10));
                            assertEquals(1, serverSide.connectedCalls(), "peers=any let nobody in");
                        }
                    } finally {
                        nobody.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }
}
