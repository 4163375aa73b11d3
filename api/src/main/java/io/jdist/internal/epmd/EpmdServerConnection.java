package io.jdist.internal.epmd;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One connection to an {@link EpmdServer}: a single length-prefixed request, answered as OTP's
 * epmd answers it ({@code erts/epmd/src/epmd_srv.c}), then closed, except after a successful
 * ALIVE2, when the connection is the registration and is held until the peer closes it.
 *
 * <p>What epmd drops without a reply, this drops by closing the connection, with a WARN naming the
 * peer: a length of 0 or above the limit (checked before allocating), a truncated request, an
 * unknown request code, a malformed ALIVE2 or PORT_PLEASE2, ALIVE2 from a non-local address, and
 * anything sent on a registration connection (which also unregisters, as in epmd). A name that is
 * in use or invalid is refused with result 1. Only this connection is affected.
 */
final class EpmdServerConnection implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jdist.epmd");
    /** The creation epmd puts in a refusal, where it means nothing. */
    private static final int REFUSED_CREATION = 99;

    private final EpmdServer server;
    private final Socket socket;
    private final EpmdServer.Builder settings;

    EpmdServerConnection(EpmdServer server, Socket socket, EpmdServer.Builder settings) {
        this.server = server;
        this.socket = socket;
        this.settings = settings;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout(
                    (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout.toMillis()));
            DataInputStream in =
                    new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            int length;
            try {
                length = in.readUnsignedShort();
            } catch (EOFException e) {
                return; // connected and left without a request: a port probe, not an error
            }
            if (length == 0 || length > settings.maxRequestLength) {
                reject("request length " + length + " is outside 1.." + settings.maxRequestLength);
                return;
            }
            byte[] request = new byte[length];
            try {
                in.readFully(request);
            } catch (EOFException e) {
                reject("the connection closed inside a request of " + length + " bytes");
                return;
            }
            handle(request, in);
        } catch (SocketTimeoutException e) {
            reject("no complete request within " + settings.requestTimeout.toSeconds() + " s");
        } catch (IOException e) {
            if (!server.isClosed()) {
                LOG.log(Level.DEBUG, "epmd connection from {0} failed: {1}", peer(), e.getMessage());
            }
        }
    }

    private void handle(byte[] request, InputStream in) throws IOException {
        int code = request[0] & 0xFF;
        switch (code) {
            case EpmdProtocol.ALIVE2_REQ:
                alive2(request, in);
                break;
            case EpmdProtocol.PORT_PLEASE2_REQ:
                portPlease2(request);
                break;
            case EpmdProtocol.NAMES_REQ:
                names();
                break;
            default:
                reject("unknown request code " + code);
        }
    }

    private void alive2(byte[] request, InputStream in) throws IOException {
        if (!isLocalPeer()) {
            // epmd sends nothing at all here (the node would wait for a reply that never comes).
            reject("ALIVE2 is accepted from the local host only");
            return;
        }
        if (request.length <= 13) {
            reject("ALIVE2 request of " + request.length + " bytes is too short for a name");
            return;
        }
        int highestVersion = ByteBuffer.wrap(request, 5, 2).getShort() & 0xFFFF;
        NodeEntry entry;
        try {
            entry = NodeEntry.readFrom(new DataInputStream(
                    new ByteArrayInputStream(request, 1, request.length - 1)));
        } catch (EOFException e) {
            reject("ALIVE2 name and extra lengths exceed the request's " + request.length + " bytes");
            return;
        } catch (CharacterCodingException | IllegalArgumentException e) {
            refuse(highestVersion, "an invalid name or extra"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return;
        }
        NodeRegistry.Slot slot = server.registry().register(entry);
        if (slot == null) {
            refuse(highestVersion, "the name '" + entry.name() + "' is in use");
            return;
        }
        try {
            write(aliveResponse(highestVersion, 0, slot.creation()));
            LOG.log(Level.INFO, "registered ''{0}'' (port {1}) from {2} with creation {3}",
                    entry.name(), String.valueOf(entry.port()), peer(),
                    Integer.toUnsignedString(slot.creation()));
            socket.setSoTimeout(0); // a registration lasts as long as the node wants
            holdRegistration(entry, in);
        } finally {
            if (server.registry().unregister(slot)) {
                LOG.log(Level.INFO, "unregistered ''{0}'' (its connection from {1} closed)",
                        entry.name(), peer());
            }
            server.registrationEnded();
        }
    }

    /** Blocks until the registration connection ends; epmd unregisters on any byte too. */
    private void holdRegistration(NodeEntry entry, InputStream in) {
        try {
            if (in.read() >= 0) {
                reject("data arrived on the registration connection of '" + entry.name()
                        + "'; unregistering it");
            }
        } catch (IOException e) {
            // reset by the peer or closed by EpmdServer.close(): either way the node is gone
        }
    }

    private void portPlease2(byte[] request) throws IOException {
        int end = request.length;
        if (end > 1 && request[end - 1] == 0) {
            end--; // epmd tolerates one trailing NUL, as old C clients send it
        }
        if (end <= 1) {
            reject("PORT_PLEASE2 without a name");
            return;
        }
        String name;
        try {
            name = EpmdProtocol.decodeName(Arrays.copyOfRange(request, 1, end));
            EpmdProtocol.encodeName(name); // the length limit
        } catch (CharacterCodingException | IllegalArgumentException e) {
            reject("PORT_PLEASE2 with an invalid name");
            return;
        }
        Optional<NodeEntry> entry = server.registry().lookup(name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(EpmdProtocol.PORT2_RESP);
        out.writeByte(entry.isPresent() ? 0 : 1);
        if (entry.isPresent()) {
            entry.get().writeTo(out);
        }
        write(bytes.toByteArray());
    }

    /** Answered to remote peers too, as epmd does: it is how other hosts find nodes here. */
    private void names() throws IOException {
        List<EpmdNames.Entry> names = new ArrayList<>();
        for (NodeEntry e : server.registry().entries()) {
            names.add(new EpmdNames.Entry(e.name(), e.port()));
        }
        write(new EpmdNames(server.port(), names).encode());
    }

    private void refuse(int highestVersion, String reason) throws IOException {
        LOG.log(Level.WARNING, "embedded epmd on {0} refused ALIVE2 from {1}: {2}",
                server.address(), peer(), reason);
        write(aliveResponse(highestVersion, 1, REFUSED_CREATION));
    }

    /** ALIVE2_X_RESP with a 32-bit creation for version 6 and later, else the old ALIVE2_RESP. */
    private static byte[] aliveResponse(int highestVersion, int result, int creation) {
        if (highestVersion >= EpmdProtocol.DIST_VERSION) {
            return ByteBuffer.allocate(6).put((byte) EpmdProtocol.ALIVE2_X_RESP)
                    .put((byte) result).putInt(creation).array();
        }
        return ByteBuffer.allocate(4).put((byte) EpmdProtocol.ALIVE2_RESP)
                .put((byte) result).putShort((short) creation).array();
    }

    /** Like epmd: a loopback peer, or one that connected to the host's own address from itself. */
    private boolean isLocalPeer() {
        InetAddress remote = socket.getInetAddress();
        return remote.isLoopbackAddress() || remote.equals(socket.getLocalAddress());
    }

    private void write(byte[] response) throws IOException {
        socket.getOutputStream().write(response);
        socket.getOutputStream().flush();
    }

    private void reject(String reason) {
        LOG.log(Level.WARNING, "embedded epmd on {0} closed the connection from {1}: {2}",
                server.address(), peer(), reason);
        EpmdServer.closeQuietly(socket);
    }

    private Object peer() {
        return socket.getRemoteSocketAddress();
    }
}
