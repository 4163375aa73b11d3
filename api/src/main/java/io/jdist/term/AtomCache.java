package io.jdist.term;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The atoms decoded lately, found by their ASCII bytes, so that decoding an atom seen before makes
 * no string and no atom. Shared by all decoders without locks: an entry is immutable, so a reader
 * sees either a whole entry or none, and two writers racing for a slot cost only a later miss.
 */
final class AtomCache {

    /** Longer atoms are rare enough in messages not to be worth a slot. */
    static final int MAX_LENGTH = 64;

    private static final int SLOTS = 2048;

    private static final Entry[] ENTRIES = new Entry[SLOTS];

    private record Entry(byte[] bytes, Atom atom) {
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
        int hash = length;
        int high = 0;
        for (int i = at; i < at + length; i++) {
            byte b = in[i];
            high |= b;
            hash = 31 * hash + b;
        }
        if (high < 0) {
            return null;
        }
        int slot = (hash ^ (hash >>> 11)) & (SLOTS - 1);
        Entry entry = ENTRIES[slot];
        if (entry != null && Arrays.equals(entry.bytes, 0, entry.bytes.length, in, at, at + length)) {
            return entry.atom;
        }
        byte[] bytes = Arrays.copyOfRange(in, at, at + length);
        Atom atom = Atom.of(new String(bytes, StandardCharsets.ISO_8859_1));
        ENTRIES[slot] = new Entry(bytes, atom);
        return atom;
    }
}
