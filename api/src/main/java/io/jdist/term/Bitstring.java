package io.jdist.term;

import java.util.Arrays;

/**
 * An Erlang bitstring whose length is not a whole number of bytes, such as {@code <<1:3>>}.
 * Bitstrings of whole bytes are {@link Binary}s; no value has both forms.
 *
 * <p>The bits are stored from the most significant bit of the first byte; the unused low bits of
 * the last byte are always zero.
 */
public final class Bitstring implements Term {

    private final byte[] bytes;
    private final int tailBits;

    private Bitstring(byte[] bytes, int tailBits) {
        this.bytes = bytes;
        this.tailBits = tailBits;
    }

    /**
     * Returns the bitstring of {@code bytes}, whose last byte contributes only its {@code tailBits}
     * most significant bits; the others are ignored.
     *
     * @throws IllegalArgumentException if {@code bytes} is empty or {@code tailBits} is not 1 to 7
     */
    public static Bitstring of(byte[] bytes, int tailBits) {
        if (tailBits < 1 || tailBits > 7) {
            throw new IllegalArgumentException("expected 1 to 7 bits in the last byte but was " + tailBits
                    + "; a bitstring of whole bytes is a Binary");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a bitstring with bits in its last byte needs at least one byte");
        }
        return ofOwned(bytes.clone(), tailBits);
    }

    /** Returns the bitstring or binary of the first {@code bitLength} bits of {@code bytes}. */
    public static Term bits(byte[] bytes, long bitLength) {
        if (bitLength < 0 || bitLength > 8L * bytes.length) {
            throw new IllegalArgumentException("expected 0 to " + 8L * bytes.length + " bits but was " + bitLength);
        }
        int whole = (int) (bitLength >>> 3);
        int tail = (int) (bitLength & 7);
        if (tail == 0) {
            return Binary.of(Arrays.copyOf(bytes, whole));
        }
        return ofOwned(Arrays.copyOf(bytes, whole + 1), tail);
    }

    /** Takes ownership of {@code bytes}, clearing its unused bits. */
    static Bitstring ofOwned(byte[] bytes, int tailBits) {
        bytes[bytes.length - 1] &= (byte) (0xFF << (8 - tailBits));
        return new Bitstring(bytes, tailBits);
    }

    /** The number of bits. */
    public long bitSize() {
        return 8L * (bytes.length - 1) + tailBits;
    }

    /** The number of bytes the bits take, the last one partly used. */
    public int byteSize() {
        return bytes.length;
    }

    /** How many bits of the last byte are used, 1 to 7. */
    public int tailBits() {
        return tailBits;
    }

    /** A copy of the bytes; the unused bits of the last one are zero. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    byte[] array() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bitstring that && tailBits == that.tailBits && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + tailBits;
    }

    /** The bitstring in Erlang syntax: {@code <<1,2:3>>}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
