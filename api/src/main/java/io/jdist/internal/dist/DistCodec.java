package io.jdist.internal.dist;

import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.TermDecodeException;
import io.jdist.term.TermDecoder;
import io.jdist.term.TermEncoder;
import io.jdist.term.Tuple;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes distribution messages in pass-through framing: {@code 112}, then the control
 * term and the optional payload, each with its own version byte. jdist advertises neither
 * DIST_HDR_ATOM_CACHE nor FRAGMENTS, so this is the only framing its peers use toward it.
 */
public final class DistCodec {

    /** The pass-through tag that starts every message. */
    static final int PASS_THROUGH = 112;
    private static final int VERSION = 131;

    /** Atoms travel as UTF-8 (UTF8_ATOMS is mandatory), which is minor version 2's choice. */
    private static final TermEncoder ENCODER = TermEncoder.builder().minorVersion(2).build();

    private final TermDecoder decoder;

    public DistCodec(TermDecoder decoder) {
        this.decoder = decoder;
    }

    /** The whole packet for a message: its 4-byte length, then the body. */
    public static ByteBuffer encode(Tuple control, Term payload) {
        int controlSize = ENCODER.encodedSize(control);
        int payloadSize = payload == null ? 0 : ENCODER.encodedSize(payload);
        int length = 1 + controlSize + payloadSize;
        ByteBuffer out = ByteBuffer.allocate(4 + length);
        out.putInt(length).put((byte) PASS_THROUGH);
        ENCODER.encode(control, out);
        if (payload != null) {
            ENCODER.encode(payload, out);
        }
        return out.flip();
    }

    /**
     * Decodes one packet body (a non-empty frame).
     *
     * @throws DistProtocolException if the frame is not a valid message, naming what is wrong
     */
    public DistMessage decode(ByteBuffer frame) throws DistProtocolException {
        int first = frame.get(frame.position()) & 0xFF;
        if (first != PASS_THROUGH) {
            throw new DistProtocolException(first == VERSION
                    ? "message with a distribution header, which this node never negotiates"
                    : "expected a pass-through message (112) but it starts with " + first);
        }
        frame.position(frame.position() + 1);
        try {
            Term control = decoder.decode(frame);
            if (!(control instanceof Tuple tuple) || tuple.arity() == 0 || !(tuple.get(0) instanceof Int opTerm)) {
                throw new DistProtocolException("expected a control tuple starting with an operation number but got "
                        + abbreviate(control));
            }
            long op = opTerm.value();
            int arity = op >= 0 && op < 256 ? ControlOps.arity((int) op) : -1;
            if (arity < 0) {
                throw new DistProtocolException("unknown control operation " + op);
            }
            if (tuple.arity() != arity) {
                throw new DistProtocolException("control operation " + op + " needs a tuple of " + arity
                        + " elements but got " + tuple.arity());
            }
            Term payload = null;
            if (ControlOps.hasPayload((int) op)) {
                if (!frame.hasRemaining()) {
                    throw new DistProtocolException("control operation " + op + " needs a payload but none follows");
                }
                payload = decoder.decode(frame);
            }
            if (frame.hasRemaining()) {
                throw new DistProtocolException(frame.remaining() + " bytes follow control operation " + op);
            }
            return new DistMessage(tuple, payload);
        } catch (TermDecodeException e) {
            throw new DistProtocolException("malformed term in message: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(Term term) {
        String text = term.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
