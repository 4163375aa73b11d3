package io.jdist.internal.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jdist.internal.handshake.DistFlags;
import io.jdist.term.Atom;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.Tuple;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Which variant of each signal goes out for which flags, and reading the reason from every variant. */
class ControlMessagesTest {

    private static final long OTP_25 = 0xD07DF7FBDL;
    private static final Atom EMPTY = Atom.of("");
    private static final Pid FROM = new Pid(Atom.of("java@host"), 1, 0, 7);
    private static final Pid TO = new Pid(Atom.of("erl@host"), 85, 0, 9);
    private static final Ref REF = Ref.of(Atom.of("java@host"), 7, 1, 2, 3);
    private static final Atom REASON = Atom.of("boom");
    private static final Term TOKEN = Tuple.of(Int.of(0), Atom.of("label"), Int.of(0), FROM, Int.of(1));

    private final DistCodec codec = new DistCodec(TermDecoder.standard());

    @Test
    void sendNamesTheSenderOnlyWhenSendSenderIsNegotiated() throws DistProtocolException {
        DistMessage withSender = decode(ControlMessages.send(OTP_25, FROM, TO, Atom.of("hi")));
        assertEquals(Tuple.of(ControlOps.SEND_SENDER, FROM, TO), withSender.control());
        assertEquals(Atom.of("hi"), withSender.payload());

        assertEquals(Tuple.of(ControlOps.SEND, EMPTY, TO), decode(ControlMessages.send(0, FROM, TO, Atom.of("hi"))).control());
        assertEquals(Tuple.of(ControlOps.SEND, EMPTY, TO),
                decode(ControlMessages.send(OTP_25 & ~DistFlags.SEND_SENDER, FROM, TO, Atom.of("hi"))).control());
        assertEquals(Tuple.of(ControlOps.SEND, EMPTY, TO), decode(ControlMessages.send(OTP_25, null, TO, Atom.of("hi"))).control());
    }

    @Test
    void exitReasonsTravelAsPayloadOnlyWhenExitPayloadIsNegotiated() throws DistProtocolException {
        long old = OTP_25 & ~DistFlags.EXIT_PAYLOAD;
        assertMessage(ControlMessages.linkExit(OTP_25, FROM, TO, REASON), Tuple.of(ControlOps.PAYLOAD_EXIT, FROM, TO), REASON);
        assertMessage(ControlMessages.linkExit(old, FROM, TO, REASON), Tuple.of(ControlOps.EXIT, FROM, TO, REASON), null);
        assertMessage(ControlMessages.exit2(OTP_25, FROM, TO, REASON), Tuple.of(ControlOps.PAYLOAD_EXIT2, FROM, TO), REASON);
        assertMessage(ControlMessages.exit2(0, FROM, TO, REASON), Tuple.of(ControlOps.EXIT2, FROM, TO, REASON), null);
        assertMessage(ControlMessages.monitorExit(OTP_25, Atom.of("name"), TO, REF, REASON),
                Tuple.of(ControlOps.PAYLOAD_MONITOR_P_EXIT, Atom.of("name"), TO, REF), REASON);
        assertMessage(ControlMessages.monitorExit(0, FROM, TO, REF, REASON),
                Tuple.of(ControlOps.MONITOR_P_EXIT, FROM, TO, REF, REASON), null);
    }

    @Test
    void reasonIsReadFromEveryVariant() {
        assertEquals(REASON, ControlMessages.reason(new DistMessage(Tuple.of(ControlOps.EXIT, TO, FROM, REASON), null)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.EXIT_TT, TO, FROM, TOKEN, REASON), null)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(Tuple.of(ControlOps.EXIT2, TO, FROM, REASON), null)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.EXIT2_TT, TO, FROM, TOKEN, REASON), null)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.MONITOR_P_EXIT, TO, FROM, REF, REASON), null)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(Tuple.of(ControlOps.PAYLOAD_EXIT, TO, FROM), REASON)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.PAYLOAD_EXIT_TT, TO, FROM, TOKEN), REASON)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(Tuple.of(ControlOps.PAYLOAD_EXIT2, TO, FROM), REASON)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.PAYLOAD_EXIT2_TT, TO, FROM, TOKEN), REASON)));
        assertEquals(REASON, ControlMessages.reason(new DistMessage(
                Tuple.of(ControlOps.PAYLOAD_MONITOR_P_EXIT, TO, FROM, REF), REASON)));
    }

    @Test
    void linkProtocolMessagesHaveOtpsShape() throws DistProtocolException {
        assertMessage(ControlMessages.link(FROM, TO), Tuple.of(ControlOps.LINK, FROM, TO), null);
        assertMessage(ControlMessages.unlinkId(5, FROM, TO), Tuple.of(ControlOps.UNLINK_ID, Int.of(5), FROM, TO), null);
        assertMessage(ControlMessages.unlinkIdAck(Int.of(5), FROM, TO),
                Tuple.of(ControlOps.UNLINK_ID_ACK, Int.of(5), FROM, TO), null);
        assertMessage(ControlMessages.monitor(FROM, Atom.of("name"), REF),
                Tuple.of(ControlOps.MONITOR_P, FROM, Atom.of("name"), REF), null);
        assertMessage(ControlMessages.demonitor(FROM, TO, REF), Tuple.of(ControlOps.DEMONITOR_P, FROM, TO, REF), null);
        assertMessage(ControlMessages.aliasSend(FROM, REF, Atom.of("hi")), Tuple.of(ControlOps.ALIAS_SEND, FROM, REF),
                Atom.of("hi"));
        assertMessage(ControlMessages.regSend(FROM, Atom.of("name"), Atom.of("hi")),
                Tuple.of(ControlOps.REG_SEND, FROM, EMPTY, Atom.of("name")), Atom.of("hi"));
    }

    private void assertMessage(ByteBuffer packet, Tuple control, Term payload) throws DistProtocolException {
        DistMessage message = decode(packet);
        assertEquals(control, message.control());
        if (payload == null) {
            assertNull(message.payload());
        } else {
            assertEquals(payload, message.payload());
        }
    }

    /** Decodes a whole packet: the 4-byte length, then the body. */
    private DistMessage decode(ByteBuffer packet) throws DistProtocolException {
        ByteBuffer p = packet.duplicate();
        assertEquals(p.remaining() - 4, p.getInt(), "length prefix");
        return codec.decode(p);
    }
}
