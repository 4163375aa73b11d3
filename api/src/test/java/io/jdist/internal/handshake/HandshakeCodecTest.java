package io.jdist.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.internal.handshake.HandshakeCodec.Expect;
import io.jdist.internal.handshake.HandshakeMessage.Challenge;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeAck;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeReply;
import io.jdist.internal.handshake.HandshakeMessage.Complement;
import io.jdist.internal.handshake.HandshakeMessage.Named;
import io.jdist.internal.handshake.HandshakeMessage.OldSendName;
import io.jdist.internal.handshake.HandshakeMessage.SendName;
import io.jdist.internal.handshake.HandshakeMessage.Status;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void digestIsMd5OfCookieThenUnsignedDecimalChallenge() {
        assertEquals("aea752f265af3aec9486bac20a8cdf0d", HEX.formatHex(CookieDigest.of("COOKIE", 1234567890)));
        // 3000000000 does not fit a signed int: it must be written unsigned.
        assertEquals("8d59c529b94478021bf57d2723731099", HEX.formatHex(CookieDigest.of("secret", (int) 3000000000L)));
    }

    @Test
    void digestMatchesOnlyTheSameCookieAndChallenge() {
        byte[] digest = CookieDigest.of("COOKIE", 42);
        assertTrue(CookieDigest.matches(digest, "COOKIE", 42));
        assertFalse(CookieDigest.matches(digest, "COOKIE", 43));
        assertFalse(CookieDigest.matches(digest, "cookie", 42));
    }

    @Test
    void encodesSendNameAsOtpDoes() {
        byte[] body = HandshakeCodec.encode(new SendName(0xD07DF7FBDL, 0x6549A1F0, "erl@box"));
        assertEquals("4e0000000d07df7fbd6549a1f0000765726c40626f78", HEX.formatHex(body));
    }

    @Test
    void encodesChallengeOfTheWorkedExample() {
        byte[] body = HandshakeCodec.encode(new Challenge(0x407070F94L, 1234567890, 0x00C0FFEE, "java@box"));
        assertEquals("4e0000000407070f94499602d200c0ffee00086a61766140626f78", HEX.formatHex(body));
    }

    @Test
    void decodesEachMessageItEncodes() throws HandshakeException {
        byte[] digest = CookieDigest.of("c", 7);
        List<Object[]> cases = List.of(
                new Object[] {new SendName(DistFlags.MANDATORY_25, 5, "a@h"), Expect.NAME},
                new Object[] {new OldSendName(5, 0x7499c, "a@h"), Expect.NAME},
                new Object[] {new Status("ok_simultaneous"), Expect.STATUS},
                new Object[] {new Status("true"), Expect.ALIVE_ANSWER},
                new Object[] {new Named("x1@h", 99), Expect.STATUS},
                new Object[] {new Challenge(DistFlags.MANDATORY_26, -1, 6, "b@h"), Expect.CHALLENGE},
                new Object[] {new Complement(4, 6), Expect.COMPLEMENT});
        for (Object[] c : cases) {
            HandshakeMessage message = (HandshakeMessage) c[0];
            assertEquals(message, HandshakeCodec.decode(HandshakeCodec.encode(message), (Expect) c[1]));
        }
        ChallengeReply reply = (ChallengeReply) HandshakeCodec.decode(
                HandshakeCodec.encode(new ChallengeReply(-2, digest)), Expect.CHALLENGE_REPLY);
        assertEquals(-2, reply.challenge());
        assertArrayEquals(digest, reply.digest());
        ChallengeAck ack = (ChallengeAck) HandshakeCodec.decode(
                HandshakeCodec.encode(new ChallengeAck(digest)), Expect.CHALLENGE_ACK);
        assertArrayEquals(digest, ack.digest());
    }

    @Test
    void ignoresBytesAfterTheNameAsOtpRequires() throws HandshakeException {
        byte[] body = HEX.parseHex("4e0000000d07df7fbd6549a1f00007" + "65726c40626f78" + "ffee");
        assertEquals(new SendName(0xD07DF7FBDL, 0x6549A1F0, "erl@box"), HandshakeCodec.decode(body, Expect.NAME));
    }

    @Test
    void refusesUnexpectedTagNamingWhatWasExpected() {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decode(HandshakeCodec.encode(new Status("ok")), Expect.CHALLENGE));
        assertEquals("expected a challenge ('N') but got a message with tag 's'", e.getMessage());
    }

    @Test
    void refusesNameLongerThanTheMessage() {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decode(HEX.parseHex("4e0000000d07df7fbd6549a1f0ffff6162"), Expect.NAME));
        assertEquals("expected the peer's name ('N') with a name of 65535 bytes but only 2 remain", e.getMessage());
    }

    @Test
    void refusesTruncatedAndEmptyMessages() {
        assertThrows(HandshakeException.class, () -> HandshakeCodec.decode(HEX.parseHex("4e0000"), Expect.NAME));
        assertThrows(HandshakeException.class, () -> HandshakeCodec.decode(new byte[0], Expect.STATUS));
    }

    @Test
    void refusesDigestOfTheWrongLength() {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HandshakeCodec.decode(HEX.parseHex("72000000010102030405060708090a0b0c0d0e0f"),
                        Expect.CHALLENGE_REPLY));
        assertEquals("expected a challenge reply ('r') of 21 bytes but got 20", e.getMessage());
    }

    @Test
    void expandsMandatoryDigestAndNamesMissingFlags() {
        assertEquals(List.of(), DistFlags.missing(DistFlags.MANDATORY_25_DIGEST, DistFlags.MANDATORY_25));
        assertEquals(List.of("UNLINK_ID", "V4_NC"),
                DistFlags.missing(DistFlags.MANDATORY_25_DIGEST, DistFlags.MANDATORY_26));
        assertEquals(0x0107_0F94L, DistFlags.MANDATORY_25);
        assertEquals(0x4_0307_0F94L, DistFlags.MANDATORY_26);
    }
}
