package io.jdist.internal.epmd;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Wire constants and small helpers shared by {@link EpmdClient} and {@link EpmdServer}. The
 * limits are those of OTP's {@code epmd} ({@code erts/epmd/src/epmd_int.h}), so that both sides
 * accept exactly what the real daemon accepts.
 */
final class EpmdProtocol {

    static final int ALIVE2_REQ = 120;
    static final int ALIVE2_X_RESP = 118;
    static final int ALIVE2_RESP = 121;
    static final int PORT_PLEASE2_REQ = 122;
    static final int PORT2_RESP = 119;
    static final int NAMES_REQ = 110;

    /** The only distribution protocol OTP registers: TCP/IPv4 (sent for IPv6 and TLS too). */
    static final int PROTOCOL_TCP = 0;
    /** The distribution version OTP 23 and later speak; OTP 25 accepts nothing lower. */
    static final int DIST_VERSION = 6;

    /** An alive name is an atom's text: at most 255 characters. */
    static final int MAX_NAME_CHARS = 255;
    /** epmd's MAXSYMLEN: 255 characters of up to 4 UTF-8 bytes each; also the limit on extra. */
    static final int MAX_NAME_BYTES = 255 * 4;
    /** epmd reads a request into INBUF_SIZE (3 * MAXSYMLEN) bytes, length prefix included. */
    static final int MAX_REQUEST_LENGTH = 3 * MAX_NAME_BYTES - 3;

    private EpmdProtocol() {}

    /**
     * Encodes an alive name as epmd expects it, rejecting what epmd would refuse, so that a bad
     * name fails here with a reason rather than as a bare "result 1" from the daemon.
     */
    static byte[] encodeName(String aliveName) {
        if (aliveName.isEmpty()) {
            throw new IllegalArgumentException("alive name must not be empty");
        }
        if (aliveName.indexOf('@') >= 0) {
            throw new IllegalArgumentException(
                    "expected an alive name without '@host' but was '" + aliveName + "'");
        }
        if (aliveName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("alive name must not contain NUL");
        }
        int chars = aliveName.codePointCount(0, aliveName.length());
        if (chars > MAX_NAME_CHARS) {
            throw new IllegalArgumentException(
                    "alive name of " + chars + " characters exceeds the limit of " + MAX_NAME_CHARS);
        }
        return aliveName.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes name bytes strictly: invalid UTF-8 or a NUL is an error, never silently replaced,
     * because a replaced name would match a different registration.
     */
    static String decodeName(byte[] bytes) throws CharacterCodingException {
        String name = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        if (name.indexOf('\0') >= 0) {
            throw new CharacterCodingException();
        }
        return name;
    }

    /** A request with its u16 length prefix; responses carry none. */
    static byte[] frame(RequestBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(0); // patched below, once the length is known
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        byte[] framed = bytes.toByteArray();
        int length = framed.length - 2;
        if (length > MAX_REQUEST_LENGTH) {
            throw new IllegalArgumentException(
                    "request of " + length + " bytes exceeds epmd's limit of " + MAX_REQUEST_LENGTH);
        }
        framed[0] = (byte) (length >>> 8);
        framed[1] = (byte) length;
        return framed;
    }

    /** Reads until end of stream, failing once more than {@code limit} bytes arrive. */
    static byte[] readToEnd(InputStream in, int limit, String address, String what)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > limit) {
                throw new EpmdException(address, "epmd at " + address + " sent a " + what
                        + " response longer than the limit of " + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Puts the EPMD's address and the request into an I/O failure's message while keeping the
     * exception's type, so callers can still tell a refused connection or a timeout apart.
     */
    static IOException rewrap(IOException e, String address, String context) {
        if (e instanceof EpmdException) {
            return e;
        }
        if (e instanceof EOFException) {
            return new EpmdException(address, context
                    + ": the connection closed before the response was complete");
        }
        String message = context + ": " + e.getMessage();
        IOException wrapped;
        if (e instanceof ConnectException) {
            wrapped = new ConnectException(message);
        } else if (e instanceof SocketTimeoutException) {
            wrapped = new SocketTimeoutException(message);
        } else if (e instanceof UnknownHostException) {
            wrapped = new UnknownHostException(message);
        } else {
            return new IOException(message, e);
        }
        wrapped.initCause(e);
        return wrapped;
    }

    /** Writes the body of a request (code byte first) to a stream. */
    @FunctionalInterface
    interface RequestBody {
        void writeTo(DataOutputStream out) throws IOException;
    }
}
