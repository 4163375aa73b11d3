package io.jdist.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.internal.handshake.HandshakeMessage.Challenge;
import io.jdist.internal.handshake.HandshakeMessage.Complement;
import io.jdist.internal.handshake.HandshakeMessage.OldSendName;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final long JAVA_FLAGS = DistFlags.MANDATORY_26 | DistFlags.MANDATORY_25_DIGEST;
    /** What OTP 25 advertises for a visible node. */
    private static final long OTP_FLAGS = 0xD07DF7FBDL;

    /** Two handshakes joined by in-memory queues, run until neither has anything to read. */
    private static final class Pair {
        final Deque<byte[]> toAcceptor = new ArrayDeque<>();
        final Deque<byte[]> toInitiator = new ArrayDeque<>();
        final Handshake initiator;
        final Handshake acceptor;

        Pair(String initiatorCookie, String acceptorCookie, long initiatorFlags, String dialled,
                Handshake.Acceptor admit, Handshake.Initiator replace) {
            initiator = Handshake.initiate("a@host", 11, initiatorFlags, DistFlags.MANDATORY_25, initiatorCookie,
                    dialled, replace, toAcceptor::add);
            acceptor = Handshake.accept("b@host", 22, JAVA_FLAGS, DistFlags.MANDATORY_25, acceptorCookie, admit,
                    toInitiator::add);
        }

        void run() throws HandshakeException {
            initiator.start();
            while (!toAcceptor.isEmpty() || !toInitiator.isEmpty()) {
                while (!toAcceptor.isEmpty()) {
                    acceptor.receive(toAcceptor.poll());
                }
                while (!toInitiator.isEmpty()) {
                    initiator.receive(toInitiator.poll());
                }
            }
        }
    }

    private static Pair pair(String initiatorCookie, String acceptorCookie) {
        return new Pair(initiatorCookie, acceptorCookie, OTP_FLAGS, "b@host", peer -> "ok", peer -> true);
    }

    @Test
    void completesOnBothSidesWithTheIntersectionOfFlags() throws HandshakeException {
        Pair p = pair("secret", "secret");
        p.run();
        assertTrue(p.initiator.isDone());
        assertTrue(p.acceptor.isDone());
        assertEquals(new HandshakeResult("b@host", 22, JAVA_FLAGS | DistFlags.MANDATORY_25, OTP_FLAGS & JAVA_FLAGS),
                p.initiator.result());
        assertEquals("a@host", p.acceptor.result().peerName());
        assertEquals(11, p.acceptor.result().peerCreation());
        assertEquals(p.initiator.result().flags(), p.acceptor.result().flags());
        assertFalse(p.acceptor.result().visible(), "the Java side is hidden");
    }

    @Test
    void acceptorRefusesWrongCookieNamingThePeerNotTheCookie() {
        Pair p = pair("secret", "other");
        HandshakeException e = assertThrows(HandshakeException.class, p::run);
        assertEquals("handshake with a@host failed: peer's cookie digest did not match", e.getMessage());
        assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("other"));
        assertFalse(p.initiator.isDone());
    }

    @Test
    void initiatorRefusesAckMadeWithAnotherCookie() throws HandshakeException {
        Pair p = pair("secret", "secret");
        p.initiator.start();
        p.acceptor.receive(p.toAcceptor.poll());
        p.initiator.receive(p.toInitiator.poll()); // status
        p.initiator.receive(p.toInitiator.poll()); // challenge
        p.toAcceptor.poll(); // drop the real reply; answer with a forged ack
        byte[] forged = HandshakeCodec.encode(new HandshakeMessage.ChallengeAck(CookieDigest.of("guess", 1)));
        HandshakeException e = assertThrows(HandshakeException.class, () -> p.initiator.receive(forged));
        assertTrue(e.getMessage().startsWith("handshake with b@host failed: peer's cookie digest did not match"));
    }

    @Test
    void initiatorRefusesChallengeFromANodeOtherThanTheDialledOne() {
        Pair p = new Pair("c", "c", OTP_FLAGS, "b@host.example.com", peer -> "ok", peer -> true);
        HandshakeException e = assertThrows(HandshakeException.class, p::run);
        assertEquals("dialled b@host.example.com but the peer calls itself b@host", e.getMessage());
    }

    @Test
    void acceptorAnswersNotAllowedToPeerLackingMandatoryFlags() {
        Pair p = new Pair("c", "c", DistFlags.HANDSHAKE_23 | DistFlags.UTF8_ATOMS, "b@host", peer -> "ok", peer -> true);
        HandshakeException e = assertThrows(HandshakeException.class, p::run);
        assertTrue(e.getMessage().startsWith("peer a@host cannot handle [EXTENDED_REFERENCES, FUN_TAGS"), e.getMessage());
        assertEquals("s" + "not_allowed", new String(p.toInitiator.poll(), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void initiatorStopsOnNokFromTheWinnerOfASimultaneousConnect() {
        Pair p = new Pair("c", "c", OTP_FLAGS, "b@host", peer -> "nok", peer -> true);
        HandshakeException e = assertThrows(HandshakeException.class, p::run);
        assertTrue(e.getMessage().startsWith("refused a@host with status nok"), e.getMessage());
        HandshakeException atInitiator = assertThrows(HandshakeException.class,
                () -> p.initiator.receive(p.toInitiator.poll()));
        assertTrue(atInitiator.getMessage().contains("(nok)"));
    }

    @Test
    void continuesAfterAliveWhenTheInitiatorReplacesTheOldConnection() throws HandshakeException {
        Pair p = new Pair("c", "c", OTP_FLAGS, "b@host", peer -> "alive", peer -> true);
        p.run();
        assertTrue(p.acceptor.isDone());
        assertTrue(p.initiator.isDone());
    }

    @Test
    void stopsAfterAliveWhenTheInitiatorKeepsTheOldConnection() {
        Pair p = new Pair("c", "c", OTP_FLAGS, "b@host", peer -> "alive", peer -> false);
        HandshakeException e = assertThrows(HandshakeException.class, p::run);
        assertTrue(e.getMessage().contains("already has a connection"), e.getMessage());
    }

    @Test
    void acceptsOldVersionFiveNameFollowedByComplement() throws HandshakeException {
        Deque<byte[]> toInitiator = new ArrayDeque<>();
        Handshake acceptor = Handshake.accept("b@host", 22, JAVA_FLAGS, DistFlags.MANDATORY_26, "c", peer -> "ok",
                toInitiator::add);
        long flags = OTP_FLAGS;
        acceptor.receive(HandshakeCodec.encode(new OldSendName(5, (int) flags, "a@host")));
        toInitiator.poll(); // status
        Challenge challenge = (Challenge) HandshakeCodec.decode(toInitiator.poll(), HandshakeCodec.Expect.CHALLENGE);
        acceptor.receive(HandshakeCodec.encode(new Complement((int) (flags >>> 32), 33)));
        acceptor.receive(HandshakeCodec.encode(
                new HandshakeMessage.ChallengeReply(7, CookieDigest.of("c", challenge.challenge()))));
        assertTrue(acceptor.isDone());
        assertEquals(33, acceptor.result().peerCreation());
        assertEquals(OTP_FLAGS & JAVA_FLAGS, acceptor.result().flags());
    }

    @Test
    void refusesMalformedNodeNames() {
        for (String bad : new String[] {"nohost", "@host", "a@", "a@b@c"}) {
            assertThrows(HandshakeException.class, () -> Handshake.checkNodeName(bad), bad);
        }
    }
}
