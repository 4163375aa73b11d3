package io.jdist.term;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An Erlang integer outside the range of a Java {@code long}. {@link #of(BigInteger)} picks the
 * right type for any value.
 *
 * @param value the integer, less than {@link Long#MIN_VALUE} or greater than {@link Long#MAX_VALUE}
 */
public record BigInt(BigInteger value) implements Term {

    /** @throws IllegalArgumentException if the value fits in a {@code long}: use {@link Int} */
    public BigInt {
        Objects.requireNonNull(value, "value");
        if (value.bitLength() < 64) {
            throw new IllegalArgumentException("expected an integer outside the long range but was " + value
                    + "; use Int or BigInt.of");
        }
    }

    /** Returns the integer as an {@link Int} when it fits in a {@code long}, else as a {@link BigInt}. */
    public static Term of(BigInteger value) {
        return value.bitLength() < 64 ? Int.of(value.longValue()) : new BigInt(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
