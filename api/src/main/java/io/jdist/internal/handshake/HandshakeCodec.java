package io.jdist.internal.handshake;

import io.jdist.internal.handshake.HandshakeMessage.Challenge;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeAck;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeReply;
import io.jdist.internal.handshake.HandshakeMessage.Complement;
import io.jdist.internal.handshake.HandshakeMessage.Named;
import io.jdist.internal.handshake.HandshakeMessage.OldSendName;
import io.jdist.internal.handshake.HandshakeMessage.SendName;
import io.jdist.internal.handshake.HandshakeMessage.Status;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes handshake message bodies (the bytes inside the 2- or 4-byte length prefix).
 * Which messages may come next depends on the side and the step, so {@code decode} is told what it
 * expects; anything else is a {@link HandshakeException} naming what was expected.
 */
public final class HandshakeCodec {

    private static final int TAG_NAME = 'N';
    private static final int TAG_OLD_NAME = 'n';
    private static final int TAG_STATUS = 's';
    private static final int TAG_COMPLEMENT = 'c';
    private static final int TAG_REPLY = 'r';
    private static final int TAG_ACK = 'a';
    private static final String NAMED = "named:";

    /** Which message a side waits for at a step of the handshake. */
    public enum Expect {
        /** The acceptor's first message: {@code 'N'} or an old {@code 'n'}. */
        NAME,
        /** The initiator's: a status, maybe {@code named:}. */
        STATUS,
        /** The acceptor's reply to {@code alive}: {@code true} or {@code false}. */
        ALIVE_ANSWER,
        /** The initiator's: the acceptor's {@code 'N'} challenge. */
        CHALLENGE,
        /** The acceptor's, after an old name: the {@code 'c'} complement. */
        COMPLEMENT,
        /** The acceptor's: {@code 'r'}. */
        CHALLENGE_REPLY,
        /** The initiator's: {@code 'a'}. */
        CHALLENGE_ACK
    }

    private HandshakeCodec() {
    }

    /** The body of {@code message}. */
    public static byte[] encode(HandshakeMessage message) {
        if (message instanceof SendName m) {
            byte[] name = latin1(m.name());
            return ByteBuffer.allocate(15 + name.length).put((byte) TAG_NAME).putLong(m.flags())
                    .putInt(m.creation()).putShort((short) name.length).put(name).array();
        } else if (message instanceof Status m) {
            byte[] status = m.status().getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(1 + status.length).put((byte) TAG_STATUS).put(status).array();
        } else if (message instanceof Named m) {
            byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + NAMED.length() + 2 + name.length + 4).put((byte) TAG_STATUS)
                    .put(NAMED.getBytes(StandardCharsets.US_ASCII)).putShort((short) name.length).put(name)
                    .putInt(m.creation()).array();
        } else if (message instanceof Challenge m) {
            byte[] name = latin1(m.name());
            return ByteBuffer.allocate(19 + name.length).put((byte) TAG_NAME).putLong(m.flags())
                    .putInt(m.challenge()).putInt(m.creation()).putShort((short) name.length).put(name).array();
        } else if (message instanceof ChallengeReply m) {
            return ByteBuffer.allocate(21).put((byte) TAG_REPLY).putInt(m.challenge()).put(m.digest()).array();
        } else if (message instanceof ChallengeAck m) {
            return ByteBuffer.allocate(17).put((byte) TAG_ACK).put(m.digest()).array();
        } else if (message instanceof Complement m) {
            return ByteBuffer.allocate(9).put((byte) TAG_COMPLEMENT).putInt(m.flagsHigh()).putInt(m.creation()).array();
        }
        OldSendName m = (OldSendName) message;
        byte[] name = latin1(m.name());
        return ByteBuffer.allocate(7 + name.length).put((byte) TAG_OLD_NAME).putShort((short) m.version())
                .putInt(m.flags()).put(name).array();
    }

    /** Decodes {@code body}, which must be the message {@code expect} names. */
    public static HandshakeMessage decode(byte[] body, Expect expect) throws HandshakeException {
        if (body.length == 0) {
            throw new HandshakeException("expected " + describe(expect) + " but got an empty message");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        int tag = in.get() & 0xFF;
        try {
            switch (expect) {
                case NAME:
                    if (tag == TAG_NAME) {
                        return new SendName(in.getLong(), in.getInt(), name(in, in.getShort() & 0xFFFF, expect));
                    } else if (tag == TAG_OLD_NAME) {
                        int version = in.getShort() & 0xFFFF;
                        int flags = in.getInt();
                        return new OldSendName(version, flags, name(in, in.remaining(), expect));
                    }
                    break;
                case STATUS:
                case ALIVE_ANSWER:
                    if (tag == TAG_STATUS) {
                        String status = new String(body, 1, body.length - 1, StandardCharsets.ISO_8859_1);
                        if (expect == Expect.STATUS && status.startsWith(NAMED)) {
                            in.position(1 + NAMED.length());
                            String name = text(in, in.getShort() & 0xFFFF, StandardCharsets.UTF_8, expect);
                            return new Named(name, in.getInt());
                        }
                        return new Status(status);
                    }
                    break;
                case CHALLENGE:
                    if (tag == TAG_NAME) {
                        return new Challenge(in.getLong(), in.getInt(), in.getInt(),
                                name(in, in.getShort() & 0xFFFF, expect));
                    }
                    break;
                case COMPLEMENT:
                    if (tag == TAG_COMPLEMENT) {
                        return new Complement(in.getInt(), in.getInt());
                    }
                    break;
                case CHALLENGE_REPLY:
                    if (tag == TAG_REPLY) {
                        exactly(body, 21, expect);
                        int challenge = in.getInt();
                        return new ChallengeReply(challenge, digest(in));
                    }
                    break;
                case CHALLENGE_ACK:
                    if (tag == TAG_ACK) {
                        exactly(body, 17, expect);
                        return new ChallengeAck(digest(in));
                    }
                    break;
                default:
                    break;
            }
        } catch (BufferUnderflowException e) {
            throw new HandshakeException("expected " + describe(expect) + " but the message of " + body.length
                    + " bytes was cut short");
        }
        throw new HandshakeException("expected " + describe(expect) + " but got a message with tag "
                + describeTag(tag));
    }

    private static String name(ByteBuffer in, int length, Expect expect) throws HandshakeException {
        return text(in, length, StandardCharsets.ISO_8859_1, expect);
    }

    private static String text(ByteBuffer in, int length, Charset charset, Expect expect) throws HandshakeException {
        if (length > in.remaining()) {
            throw new HandshakeException("expected " + describe(expect) + " with a name of " + length
                    + " bytes but only " + in.remaining() + " remain");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        // Bytes after the name are extensions that a receiver must ignore.
        return new String(bytes, charset);
    }

    private static byte[] digest(ByteBuffer in) {
        byte[] digest = new byte[CookieDigest.LENGTH];
        in.get(digest);
        return digest;
    }

    private static void exactly(byte[] body, int length, Expect expect) throws HandshakeException {
        if (body.length != length) {
            throw new HandshakeException("expected " + describe(expect) + " of " + length + " bytes but got "
                    + body.length);
        }
    }

    private static byte[] latin1(String name) {
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String describeTag(int tag) {
        return tag >= 0x20 && tag < 0x7F ? "'" + (char) tag + "'" : Integer.toString(tag);
    }

    private static String describe(Expect expect) {
        return switch (expect) {
            case NAME -> "the peer's name ('N')";
            case STATUS -> "a status ('s')";
            case ALIVE_ANSWER -> "an answer to 'alive' ('s' true or false)";
            case CHALLENGE -> "a challenge ('N')";
            case COMPLEMENT -> "a complement ('c')";
            case CHALLENGE_REPLY -> "a challenge reply ('r')";
            case CHALLENGE_ACK -> "a challenge ack ('a')";
        };
    }
}
