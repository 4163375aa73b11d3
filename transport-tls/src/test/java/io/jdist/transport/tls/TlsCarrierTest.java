package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierProvider;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.tck.RecordingHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is particular to the tls carrier, through the Carrier SPI alone: certificate chains on both
 * providers and across them, server name indication, a peer that does not speak TLS. What every
 * carrier must do is the kit's ({@link TlsCarrierConformanceTest}).
 */
class TlsCarrierTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    private Carrier carrier(String provider, TlsTestFiles files) {
        return new TlsCarrierProvider().create(files.settings(provider));
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertTrue(ServiceLoader.load(CarrierProvider.class).stream().anyMatch(p -> p.get().name().equals("tls")));
    }

    @ParameterizedTest
    @CsvSource({"jdk, jdk", "openssl, openssl", "jdk, openssl", "openssl, jdk"})
    void movesBytesBothWaysAndShowsEachSideThePeersChain(String serverProvider, String clientProvider)
            throws Exception {
        TlsTestFiles.assumeProvider(serverProvider);
        TlsTestFiles.assumeProvider(clientProvider);
        TlsTestFiles serverFiles = TlsTestFiles.create(dir.resolve("server"));
        TlsTestFiles clientFiles = serverFiles.with(dir.resolve("client"),
                TlsTestFiles.nodeCertificate(serverFiles.ca).build());
        Carrier server = carrier(serverProvider, serverFiles);
        Carrier client = carrier(clientProvider, clientFiles);
        RecordingHandler serverSide = new RecordingHandler();
        RecordingHandler clientSide = new RecordingHandler();
        try (CarrierServer accepting = server.listen(LOOPBACK_ANY_PORT, () -> serverSide)) {
            CarrierConnection c = client.connect(accepting.localAddress(), "localhost", clientSide)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(4, client.handshakeLengthBytes());
            CarrierConnection s = serverSide.awaitConnection(Duration.ofSeconds(10));
            assertEquals(serverFiles.node.certificate(), c.peerCertificates().get(0));
            assertEquals(clientFiles.node.certificate(), s.peerCertificates().get(0));

            byte[] payload = new byte[1 << 20];
            new java.util.Random(7).nextBytes(payload);
            c.write(ByteBuffer.wrap(payload, 0, 1000), ByteBuffer.wrap(payload, 1000, payload.length - 1000));
            s.write(ByteBuffer.wrap(payload));
            assertArrayEquals(payload, serverSide.awaitBytes(payload.length, Duration.ofSeconds(10)));
            assertArrayEquals(payload, clientSide.awaitBytes(payload.length, Duration.ofSeconds(10)));
            c.close();
            serverSide.awaitClosed(Duration.ofSeconds(5));
        } finally {
            client.close();
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void sendsTheHostPartOfTheNodeNameAsServerNameIndication(String provider) throws Exception {
        TlsTestFiles.assumeProvider(provider);
        TlsTestFiles files = TlsTestFiles.create(dir.resolve("pki"));
        Carrier client = carrier(provider, files);
        javax.net.ssl.SSLContext context = TlsTestFiles.clientContext(files.node, files.ca);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<List<SNIServerName>> names = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    return ((ExtendedSSLSession) accepted.getSession()).getRequestedServerNames();
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            client.connect(server.getLocalSocketAddress(), "vm", new RecordingHandler()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(List.of(new SNIHostName("vm")), names.get(10, TimeUnit.SECONDS));
        } finally {
            client.close();
        }
    }

    @Test
    void aPeerThatDoesNotSpeakTlsFailsTheConnectNamingTheAddress() throws Exception {
        TlsTestFiles files = TlsTestFiles.create(dir.resolve("pki"));
        Map<String, String> settings = new HashMap<>(files.settings());
        settings.put("connectTimeoutMillis", "1000");
        Carrier client = new TlsCarrierProvider().create(settings);
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("not tls at all, sorry".getBytes());
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the client hung up: expected
                }
            });
            RecordingHandler handler = new RecordingHandler();
            CompletionException e = assertThrows(CompletionException.class,
                    () -> client.connect(plain.getLocalSocketAddress(), "vm", handler).toCompletableFuture().join());
            IOException io = assertInstanceOf(IOException.class, e.getCause());
            assertTrue(io.getMessage().startsWith("cannot connect to "), io.getMessage());
            assertEquals(0, handler.connectedCalls(), "the handler hears nothing of a connection that never opened");
            answer.get(5, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
