package io.jdist.transport.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.testing.LogCapture;
import io.jdist.testing.RecordingHandler;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixCarrierTest {

    @TempDir
    Path dir;

    private static Carrier carrier(String transport, String peers) {
        return new UnixCarrierProvider().create(Map.of("transport", transport, "peers", peers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void movesBytesInOrderBothWaysAndClosesOnceOnEachSide(String transport) throws Exception {
        int size = 4 * 1024 * 1024;
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31 + (i >>> 8));
        }
        try (Carrier carrier = carrier(transport, "same")) {
            RecordingHandler serverSide = new RecordingHandler(size);
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("n@h"));
            try (CarrierServer server = carrier.listen(address, () -> serverSide)) {
                assertEquals(address, server.localAddress());
                RecordingHandler clientSide = new RecordingHandler(size);
                CarrierConnection client = carrier.connect(address, clientSide).toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                serverSide.awaitConnection(Duration.ofSeconds(5));
                for (int off = 0; off < size; off += 65536) {
                    client.write(ByteBuffer.wrap(payload, off, 65536));
                    serverSide.connection.write(ByteBuffer.wrap(payload, off, 65536));
                }
                assertTrue(serverSide.gotAll.await(20, TimeUnit.SECONDS));
                assertTrue(clientSide.gotAll.await(20, TimeUnit.SECONDS));
                assertArrayEquals(payload, serverSide.bytes());
                assertArrayEquals(payload, clientSide.bytes());

                client.close();
                client.close();
                assertTrue(clientSide.closed.await(5, TimeUnit.SECONDS));
                assertTrue(serverSide.closed.await(5, TimeUnit.SECONDS));
                Thread.sleep(100);
                assertEquals(1, clientSide.closedCalls.get());
                assertEquals(1, serverSide.closedCalls.get());
                assertEquals(1, serverSide.connectedCalls.get());
            }
        }
    }

    @Test
    void connectingWhereNoSocketIsFailsNamingTheAddress() {
        try (Carrier carrier = carrier("auto", "same")) {
            UnixDomainSocketAddress nowhere = UnixDomainSocketAddress.of(dir.resolve("nobody@h"));
            RecordingHandler handler = new RecordingHandler(1);
            CompletionException e = assertThrows(CompletionException.class,
                    () -> carrier.connect(nowhere, handler).toCompletableFuture().join());
            IOException io = assertInstanceOf(IOException.class, e.getCause());
            assertTrue(io.getMessage().startsWith("cannot connect to " + nowhere), io.getMessage());
            assertEquals(0, handler.connectedCalls.get());
        }
    }

    @Test
    void listeningWhereASocketIsFailsNamingIt() throws IOException {
        try (Carrier carrier = carrier("auto", "same")) {
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("n@h"));
            try (CarrierServer first = carrier.listen(address, () -> new RecordingHandler(1))) {
                IOException e = assertThrows(IOException.class, () -> carrier.listen(address, () -> new RecordingHandler(1)));
                assertTrue(e.getMessage().startsWith("cannot listen on " + address), e.getMessage());
            }
        }
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
                RecordingHandler serverSide = new RecordingHandler(1);
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
                            assertEquals(0, serverSide.connectedCalls.get(), "jdist heard of a refused peer");
                        } else {
                            assertTrue(serverSide.gotAll.await(10, TimeUnit.SECONDS), "peers=any let nobody in");
                            assertEquals(1, serverSide.connectedCalls.get());
                        }
                    } finally {
                        nobody.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }
}
