package io.jdist.internal.handshake;

import java.util.Objects;

/**
 * One message of the distribution handshake, without its length prefix. Node names are carried as
 * strings of the bytes OTP sends: Latin-1 for names, UTF-8 for an assigned {@code named:} name.
 */
public sealed interface HandshakeMessage {

    /** Step 1, {@code 'N'}: the initiator's flags, creation and full node name (version 6). */
    record SendName(long flags, int creation, String name) implements HandshakeMessage {
        public SendName {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Step 1 of the old version 5 handshake, {@code 'n'}; a {@link Complement} follows later. */
    record OldSendName(int version, int flags, String name) implements HandshakeMessage {
        public OldSendName {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Step 2, {@code 's'}: {@code ok}, {@code ok_simultaneous}, {@code nok}, {@code not_allowed}, {@code alive}, or the reply {@code true}/{@code false}. */
    record Status(String status) implements HandshakeMessage {
        public Status {
            Objects.requireNonNull(status, "status");
        }
    }

    /** Step 2 for a node that asked for a name: {@code 's' "named:"} with the name and creation given to it. */
    record Named(String name, int creation) implements HandshakeMessage {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Step 3, {@code 'N'}: the acceptor's flags, its challenge, creation and full node name. */
    record Challenge(long flags, int challenge, int creation, String name) implements HandshakeMessage {
        public Challenge {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Step 3B, {@code 'c'}: the high flag bits and creation, after an old {@code 'n'} name. */
    record Complement(int flagsHigh, int creation) implements HandshakeMessage {
    }

    /** Step 4, {@code 'r'}: the initiator's own challenge and its digest of the acceptor's. */
    record ChallengeReply(int challenge, byte[] digest) implements HandshakeMessage {
        public ChallengeReply {
            digest = checkedCopy(digest);
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }
    }

    /** Step 5, {@code 'a'}: the acceptor's digest of the initiator's challenge. */
    record ChallengeAck(byte[] digest) implements HandshakeMessage {
        public ChallengeAck {
            digest = checkedCopy(digest);
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }
    }

    private static byte[] checkedCopy(byte[] digest) {
        if (digest.length != CookieDigest.LENGTH) {
            throw new IllegalArgumentException("expected a digest of 16 bytes but was " + digest.length);
        }
        return digest.clone();
    }
}
