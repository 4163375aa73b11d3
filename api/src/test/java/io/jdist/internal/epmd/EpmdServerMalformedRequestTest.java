package io.jdist.internal.epmd;

import static io.jdist.internal.epmd.EpmdTestSupport.awaitTrue;
import static io.jdist.internal.epmd.EpmdTestSupport.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad requests to {@link EpmdServer} close that one connection, without a reply, while a node
 * registered over another connection stays registered.
 */
class EpmdServerMalformedRequestTest {

    private EpmdServer server;
    private EpmdClient client;
    private Registration bystander;
    private String bystanderName;

    @BeforeEach
    void startServerWithARegisteredNode() throws IOException {
        server = EpmdServer.builder().port(0).requestTimeout(Duration.ofSeconds(1)).start();
        client = EpmdClient.builder().port(server.port()).build();
        bystanderName = uniqueName("bystander");
        bystander = client.register(bystanderName, 41000, NodeType.NORMAL, Registration.Listener.NONE);
    }

    @AfterEach
    void stopServer() {
        bystander.close();
        server.close();
    }

    @Test
    void zeroLengthRequestIsDropped() throws Exception {
        assertDropped(bytes(0, 0));
    }

    @Test
    void unknownRequestCodeIsDropped() throws Exception {
        assertDropped(bytes(0, 1, 0xFF));
    }

    @Test
    void oversizedLengthIsDroppedBeforeTheBodyArrives() throws Exception {
        assertDropped(bytes(0xFF, 0xFF, 1, 2, 3), true);
    }

    @Test
    void garbageIsDropped() throws Exception {
        assertDropped("GET / HTTP/1.1\r\nHost: epmd\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void truncatedRequestIsDropped() throws Exception {
        assertDropped(bytes(0, 10, EpmdProtocol.NAMES_REQ, 1, 2), true);
    }

    @Test
    void silentConnectionIsDroppedAfterTheRequestTimeout() throws Exception {
        assertDropped(new byte[0]);
    }

    @Test
    void alive2WhoseNameLengthExceedsTheRequestIsDropped() throws Exception {
        // code, port, type, protocol, high, low, then a name length of 200 with 2 bytes of name
        assertDropped(bytes(0, 15, 120, 0x10, 0, 77, 0, 0, 6, 0, 6, 0, 200, 'a', 'b', 0, 0));
    }

    @Test
    void portPleaseWithoutANameIsDropped() throws Exception {
        assertDropped(bytes(0, 1, EpmdProtocol.PORT_PLEASE2_REQ));
    }

    @Test
    void alive2WithAnInvalidNameIsRefusedWithResultOne() throws Exception {
        byte[] request = bytes(0, 16, 120, 0x10, 0, 77, 0, 0, 6, 0, 6, 0, 3, 0xC3, 0x28, 'x', 0, 0);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request);
            assertArrayEquals(bytes(118, 1, 0, 0, 0, 99), socket.getInputStream().readAllBytes());
        }
        assertBystanderStillRegistered();
    }

    @Test
    void dataOnARegistrationConnectionUnregistersOnlyThatNode() throws Exception {
        String name = uniqueName("chatty");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(alive2(name));
            assertEquals(118, socket.getInputStream().read());
            socket.getInputStream().readNBytes(5);
            assertTrue(client.portPlease(name).isPresent());

            socket.getOutputStream().write(1);
            assertEquals(-1, readUntilClosed(socket.getInputStream()));
        }
        awaitTrue(name + " to be unregistered", () -> client.portPlease(name).isEmpty());
        assertBystanderStillRegistered();
    }

    @Test
    void oldVersionRegistrationGetsTheShortReplyWithCreationOneToThree() throws Exception {
        String name = uniqueName("old");
        byte[] request = alive2(name);
        request[8] = 5; // highest version 5
        request[10] = 5;
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            assertArrayEquals(bytes(121, 0), in.readNBytes(2));
            int creation = (in.read() << 8) | in.read();
            assertTrue(creation >= 1 && creation <= 3, "creation " + creation);
        }
    }

    private void assertDropped(byte[] request) throws Exception {
        assertDropped(request, false);
    }

    private void assertDropped(byte[] request, boolean thenHalfClose) throws Exception {
        try (Socket socket = connect()) {
            try {
                socket.getOutputStream().write(request);
                if (thenHalfClose) {
                    socket.shutdownOutput();
                }
            } catch (SocketException e) {
                // the server may close before all of a large request is written
            }
            assertEquals(-1, readUntilClosed(socket.getInputStream()), "no reply, just close");
        }
        assertBystanderStillRegistered();
        assertFalse(server.isClosed());
    }

    private void assertBystanderStillRegistered() throws IOException {
        assertTrue(bystander.isActive());
        assertEquals(Optional.of(new EpmdNames.Entry(bystanderName, 41000)),
                client.names().find(bystanderName));
        assertEquals(41000, client.portPlease(bystanderName).orElseThrow().port());
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** The first byte read, or -1 at end of stream; a reset counts as closed too. */
    private static int readUntilClosed(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    private static byte[] alive2(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(13 + nameBytes.length);
        out.write(bytes(120, 0x10, 0, 77, 0, 0, 6, 0, 6));
        out.writeShort(nameBytes.length);
        out.write(nameBytes);
        out.writeShort(0);
        return bytes.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
