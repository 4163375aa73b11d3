package io.jdist.term;

/**
 * An Erlang float: a finite IEEE 754 double. Erlang has no infinities or NaN.
 *
 * <p>As in OTP 25, {@code 0.0} and {@code -0.0} are exactly equal ({@code =:=}) although they encode
 * to different bytes; the sign survives a round trip.
 *
 * @param value the number, finite
 */
public record ErlFloat(double value) implements Term {

    /** @throws IllegalArgumentException if the value is infinite or NaN */
    public ErlFloat {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Erlang floats are finite but was " + value);
        }
    }

    /** Returns the float. */
    public static ErlFloat of(double value) {
        return new ErlFloat(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErlFloat that && this.value == that.value;
    }

    @Override
    public int hashCode() {
        return value == 0.0 ? 0 : Double.hashCode(value);
    }

    /** The float in Erlang syntax, which always has a fractional part: {@code 1.0}, {@code 1.5e-300}. */
    @Override
    public String toString() {
        return TermPrinter.floatText(value);
    }
}
