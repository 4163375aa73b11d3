package io.jdist.term;

/**
 * An Erlang integer that fits in a Java {@code long}. Larger integers are {@link BigInt}s; no value
 * has both forms, so equality is plain value equality.
 *
 * @param value the integer
 */
public record Int(long value) implements Term {

    private static final Int[] SMALL = new Int[1024 + 128];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new Int(i - 128);
        }
    }

    /** Returns the integer, sharing instances for small values. */
    public static Int of(long value) {
        if (value >= -128 && value < SMALL.length - 128) {
            return SMALL[(int) value + 128];
        }
        return new Int(value);
    }

    /** The value as an {@code int}. @throws ArithmeticException if it does not fit */
    public int intValue() {
        return Math.toIntExact(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
