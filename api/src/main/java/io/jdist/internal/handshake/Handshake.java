package io.jdist.internal.handshake;

import io.jdist.internal.handshake.HandshakeCodec.Expect;
import io.jdist.internal.handshake.HandshakeMessage.Challenge;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeAck;
import io.jdist.internal.handshake.HandshakeMessage.ChallengeReply;
import io.jdist.internal.handshake.HandshakeMessage.Complement;
import io.jdist.internal.handshake.HandshakeMessage.Named;
import io.jdist.internal.handshake.HandshakeMessage.OldSendName;
import io.jdist.internal.handshake.HandshakeMessage.SendName;
import io.jdist.internal.handshake.HandshakeMessage.Status;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;

/**
 * One side of the distribution handshake (protocol version 6, with the old version 5 name accepted
 * from initiators), driven by the message bodies it is given. It knows nothing of sockets or
 * framing: the caller frames what {@code out} receives and feeds each received frame to {@link
 * #receive}. Not thread-safe: one thread drives one handshake.
 */
public final class Handshake {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Decisions the node makes for an acceptor: who may connect and how to resolve races. */
    public interface Acceptor {
        /**
         * The status for a peer that asks to connect: {@code ok}, {@code ok_simultaneous}, {@code
         * nok}, {@code alive} or {@code not_allowed}, applying the simultaneous-connect rule.
         */
        String admit(String peerName);
    }

    /** Decisions the node makes for an initiator. */
    public interface Initiator {
        /** Whether to go on when the peer believes a connection already exists ({@code alive}). */
        boolean replaceExisting(String peerName);
    }

    private enum State { AWAIT_NAME, AWAIT_STATUS, AWAIT_ALIVE_ANSWER, AWAIT_CHALLENGE, AWAIT_COMPLEMENT,
        AWAIT_REPLY, AWAIT_ACK, DONE }

    private final String localName;
    private final int localCreation;
    private final long localFlags;
    private final long requiredFlags;
    private final String cookie;
    private final Consumer<byte[]> out;
    private final Acceptor acceptor;
    private final Initiator initiator;
    /** For an initiator, the name it dialled, which the challenge must carry exactly. */
    private final String dialledName;
    private State state;
    private int ownChallenge;
    private int peerChallenge;
    private String peerName;
    /** Whether the peer sent the old version 5 name, so a complement follows the challenge. */
    private boolean oldName;
    private int peerCreation;
    private long peerFlags;
    private HandshakeResult result;
    /** Set when the peer answered {@code nok}: its own attempt to this node wins. */
    private boolean lostSimultaneousConnect;

    private Handshake(String localName, int localCreation, long localFlags, long requiredFlags, String cookie,
            Consumer<byte[]> out, Acceptor acceptor, Initiator initiator, String dialledName) {
        this.localName = localName;
        this.localCreation = localCreation;
        this.localFlags = localFlags;
        this.requiredFlags = requiredFlags;
        this.cookie = cookie;
        this.out = out;
        this.acceptor = acceptor;
        this.initiator = initiator;
        this.dialledName = dialledName;
    }

    /** A handshake for the side that dialled {@code peerName}; call {@link #start()} to send the name. */
    public static Handshake initiate(String localName, int localCreation, long localFlags, long requiredFlags,
            String cookie, String peerName, Initiator initiator, Consumer<byte[]> out) {
        Handshake h = new Handshake(localName, localCreation, localFlags, requiredFlags, cookie, out, null,
                initiator, peerName);
        h.state = State.AWAIT_STATUS;
        return h;
    }

    /** A handshake for the side that accepted a connection; it waits for the peer's name. */
    public static Handshake accept(String localName, int localCreation, long localFlags, long requiredFlags,
            String cookie, Acceptor acceptor, Consumer<byte[]> out) {
        Handshake h = new Handshake(localName, localCreation, localFlags, requiredFlags, cookie, out, acceptor,
                null, null);
        h.state = State.AWAIT_NAME;
        return h;
    }

    /** Sends the initiator's name. */
    public void start() {
        send(new SendName(localFlags, localCreation, localName));
    }

    /** Whether the handshake has completed. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** The outcome, once {@link #isDone()}. */
    public HandshakeResult result() {
        return result;
    }

    /**
     * Whether this initiator was refused with {@code nok} because the peer is connecting to this
     * node at the same time and keeps its own attempt. The handshake fails, but the connection is
     * not lost: as OTP's initiator does ({@code dist_util:recv_status/1}), the node waits for the
     * peer's attempt to arrive and take over what this one had queued.
     */
    public boolean lostSimultaneousConnect() {
        return lostSimultaneousConnect;
    }

    /**
     * Whether this initiator has sent its challenge reply and waits for the peer's ack. A peer that
     * closes the connection now has refused the reply's cookie digest: OTP closes without a word
     * (logging "Invalid challenge reply" on its side), and so does jdist.
     */
    public boolean awaitingChallengeAck() {
        return state == State.AWAIT_ACK;
    }

    /** The peer's name as far as it is known: the dialled name, or the name the peer sent. */
    public String peerName() {
        return peerName != null ? peerName : dialledName;
    }

    /**
     * Handles one received message body.
     *
     * @throws HandshakeException if the handshake cannot go on; the connection must be closed
     */
    public void receive(byte[] body) throws HandshakeException {
        switch (state) {
            case AWAIT_NAME -> onName(HandshakeCodec.decode(body, Expect.NAME));
            case AWAIT_STATUS -> onStatus(HandshakeCodec.decode(body, Expect.STATUS));
            case AWAIT_ALIVE_ANSWER -> onAliveAnswer((Status) HandshakeCodec.decode(body, Expect.ALIVE_ANSWER));
            case AWAIT_CHALLENGE -> onChallenge((Challenge) HandshakeCodec.decode(body, Expect.CHALLENGE));
            case AWAIT_COMPLEMENT -> onComplement((Complement) HandshakeCodec.decode(body, Expect.COMPLEMENT));
            case AWAIT_REPLY -> onReply((ChallengeReply) HandshakeCodec.decode(body, Expect.CHALLENGE_REPLY));
            case AWAIT_ACK -> onAck((ChallengeAck) HandshakeCodec.decode(body, Expect.CHALLENGE_ACK));
            case DONE -> throw new HandshakeException("received a handshake message after the handshake completed");
        }
    }

    // Acceptor side.

    private void onName(HandshakeMessage message) throws HandshakeException {
        oldName = message instanceof OldSendName;
        if (message instanceof SendName name) {
            peerName = name.name();
            peerFlags = DistFlags.expand(name.flags());
            peerCreation = name.creation();
            if ((peerFlags & DistFlags.NAME_ME) != 0) {
                throw new HandshakeException("peer asked to be given a name (NAME_ME), which this node does not do");
            }
        } else {
            OldSendName name = (OldSendName) message;
            peerName = name.name();
            peerFlags = DistFlags.expand(name.flags() & 0xFFFF_FFFFL);
        }
        checkNodeName(peerName);
        // An old name carries only the low 32 flag bits; the complement brings the rest.
        List<String> missing = DistFlags.missing(peerFlags, oldName ? requiredFlags & 0xFFFF_FFFFL : requiredFlags);
        if (!missing.isEmpty()) {
            send(new Status("not_allowed"));
            throw new HandshakeException("peer " + peerName + " cannot handle " + missing);
        }
        String status = acceptor.admit(peerName);
        send(new Status(status));
        if (status.equals("alive")) {
            state = State.AWAIT_ALIVE_ANSWER;
        } else if (status.equals("ok") || status.equals("ok_simultaneous")) {
            sendChallenge();
        } else {
            throw new HandshakeException("refused " + peerName + " with status " + status);
        }
    }

    private void onAliveAnswer(Status answer) throws HandshakeException {
        if (answer.status().equals("true")) {
            sendChallenge();
        } else if (answer.status().equals("false")) {
            throw new HandshakeException("peer " + peerName + " gave up its attempt in favour of the existing connection");
        } else {
            throw new HandshakeException("expected 'true' or 'false' from " + peerName + " but got '"
                    + answer.status() + "'");
        }
    }

    private void sendChallenge() {
        ownChallenge = RANDOM.nextInt();
        send(new Challenge(localFlags, ownChallenge, localCreation, localName));
        state = oldName ? State.AWAIT_COMPLEMENT : State.AWAIT_REPLY;
    }

    private void onComplement(Complement complement) {
        peerFlags |= (complement.flagsHigh() & 0xFFFF_FFFFL) << 32;
        peerCreation = complement.creation();
        state = State.AWAIT_REPLY;
    }

    private void onReply(ChallengeReply reply) throws HandshakeException {
        if (!CookieDigest.matches(reply.digest(), cookie, ownChallenge)) {
            throw new HandshakeException("handshake with " + peerName + " failed: peer's cookie digest did not match");
        }
        checkNegotiated();
        send(new ChallengeAck(CookieDigest.of(cookie, reply.challenge())));
        finish();
    }

    // Initiator side.

    private void onStatus(HandshakeMessage message) throws HandshakeException {
        if (message instanceof Named) {
            throw new HandshakeException("peer " + dialledName + " assigned a name, but none was asked for");
        }
        String status = ((Status) message).status();
        switch (status) {
            case "ok", "ok_simultaneous" -> state = State.AWAIT_CHALLENGE;
            case "alive" -> {
                boolean goOn = initiator.replaceExisting(dialledName);
                send(new Status(goOn ? "true" : "false"));
                if (!goOn) {
                    throw new HandshakeException("peer " + dialledName + " already has a connection to this node");
                }
                state = State.AWAIT_CHALLENGE;
            }
            case "nok" -> {
                lostSimultaneousConnect = true;
                throw new HandshakeException("peer " + dialledName
                        + " is connecting to this node at the same time and keeps its own attempt (nok)");
            }
            case "not_allowed" -> throw new HandshakeException("peer " + dialledName
                    + " does not allow this node to connect (not_allowed)");
            default -> throw new HandshakeException("peer " + dialledName + " answered with unknown status '"
                    + status + "'");
        }
    }

    private void onChallenge(Challenge challenge) throws HandshakeException {
        if (!challenge.name().equals(dialledName)) {
            throw new HandshakeException("dialled " + dialledName + " but the peer calls itself " + challenge.name());
        }
        peerName = challenge.name();
        peerFlags = DistFlags.expand(challenge.flags());
        peerCreation = challenge.creation();
        peerChallenge = challenge.challenge();
        checkNegotiated();
        ownChallenge = RANDOM.nextInt();
        send(new ChallengeReply(ownChallenge, CookieDigest.of(cookie, peerChallenge)));
        state = State.AWAIT_ACK;
    }

    private void onAck(ChallengeAck ack) throws HandshakeException {
        if (!CookieDigest.matches(ack.digest(), cookie, ownChallenge)) {
            throw new HandshakeException("handshake with " + peerName
                    + " failed: peer's cookie digest did not match (it answered the challenge with another cookie)");
        }
        finish();
    }

    // Both.

    private void checkNegotiated() throws HandshakeException {
        List<String> missing = DistFlags.missing(localFlags & peerFlags, requiredFlags);
        if (!missing.isEmpty()) {
            throw new HandshakeException("peer " + peerName + " cannot handle " + missing);
        }
    }

    private void finish() {
        result = new HandshakeResult(peerName, peerCreation, peerFlags, DistFlags.expand(localFlags) & peerFlags);
        state = State.DONE;
    }

    private void send(HandshakeMessage message) {
        out.accept(HandshakeCodec.encode(message));
    }

    /** Checks a full node name as OTP's acceptor does: non-empty alive and host parts around one {@code @}. */
    static void checkNodeName(String name) throws HandshakeException {
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0) {
            throw new HandshakeException("peer sent the invalid node name '" + name + "'; expected alive@host");
        }
    }
}
