package io.jdist.term;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The atoms decoded lately, found by their ASCII bytes, so that decoding an atom seen before makes
 * no string and no atom. Shared by all decoders without locks: an entry is immutable, so a reader
 * sees either a whole entry or none, and two writers racing for a slot cost only a later miss.
 * Slots go in pairs, so that two names that hash alike do not keep evicting each other.
 *
 * <p>A name is looked up by its length and its first and last eight bytes, read as two longs: for
 * names of up to 16 bytes, which most atoms are, they are the whole name, so a hit costs two loads
 * and no loop over the bytes.
 */
final class AtomCache {

    /** Longer atoms are rare enough in messages not to be worth a slot. */
    static final int MAX_LENGTH = 64;

    private static final int PAIR_BITS = 10;

    private static final Entry[] ENTRIES = new Entry[2 << PAIR_BITS];

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The high bit of each byte of a long: set in a byte that is not ASCII. */
    private static final long NOT_ASCII = 0x8080_8080_8080_8080L;

    /**
     * An atom and its name's bytes: {@code head} holds the first 8 (fewer zero-extended), {@code
     * tail} the last 8 of a longer name, 0 otherwise; {@code bytes} is kept only for names of more
     * than 16 bytes, which the two longs do not cover.
     */
    private record Entry(int length, long head, long tail, byte[] bytes, Atom atom) {
    }

    private AtomCache() {
    }

    /**
     * The atom whose name is the {@code length} bytes of {@code in} at {@code at}, if they are ASCII
     * and at most {@link #MAX_LENGTH}; {@code null} otherwise, and the caller decodes them itself.
     */
    static Atom get(byte[] in, int at, int length) {
        if (length > MAX_LENGTH) {
            return null;
        }
        long head = head(in, at, length);
        long tail = length > 8 ? (long) LONG.get(in, at + length - 8) : 0;
        if (((head | tail) & NOT_ASCII) != 0 || (length > 16 && !isAscii(in, at + 8, at + length - 8))) {
            return null;
        }
        long mixed = (head * 0x9E37_79B9_7F4A_7C15L) ^ (tail * 0xC2B2_AE3D_27D4_EB4FL) ^ length;
        // Two ways: an atom is in one of the two slots of its pair, the one made last in the first.
        int slot = (int) (mixed >>> (64 - PAIR_BITS)) << 1;
        Entry first = ENTRIES[slot];
        return matches(first, in, at, length, head, tail) ? first.atom : secondWay(slot, in, at, length, head, tail);
    }

    private static Atom secondWay(int slot, byte[] in, int at, int length, long head, long tail) {
        Entry second = ENTRIES[slot + 1];
        if (matches(second, in, at, length, head, tail)) {
            return second.atom;
        }
        Atom atom = Atom.of(new String(in, at, length, StandardCharsets.ISO_8859_1));
        byte[] bytes = length > 16 ? Arrays.copyOfRange(in, at, at + length) : null;
        ENTRIES[slot + 1] = ENTRIES[slot];
        ENTRIES[slot] = new Entry(length, head, tail, bytes, atom);
        return atom;
    }

    private static boolean matches(Entry entry, byte[] in, int at, int length, long head, long tail) {
        return entry != null && entry.length == length && entry.head == head && entry.tail == tail
                && (length <= 16 || Arrays.equals(entry.bytes, 8, length - 8, in, at + 8, at + length - 8));
    }

    /** The first {@code min(length, 8)} bytes at {@code at}, big-endian, zero-extended. */
    private static long head(byte[] in, int at, int length) {
        if (length >= 8) {
            return (long) LONG.get(in, at);
        }
        if (length == 0) {
            return 0;
        }
        if (in.length - at >= 8) {
            // Eight bytes are there to read at once: drop those after the name.
            return (long) LONG.get(in, at) >>> (64 - 8 * length);
        }
        long head = 0;
        for (int i = at; i < at + length; i++) {
            head = head << 8 | (in[i] & 0xFF);
        }
        return head;
    }

    private static boolean isAscii(byte[] in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
