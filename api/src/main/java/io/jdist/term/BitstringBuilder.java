package io.jdist.term;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the value of a binary literal such as {@code <<1, 300:16/little, "é"/utf8>>} segment by
 * segment, following Erlang's rules for constructing bitstrings: integers are cut to their low bits,
 * signedness does not matter, {@code native} is this machine's byte order.
 *
 * <p>Errors are {@link IllegalArgumentException}s saying what is wrong; {@link TermParser} adds where.
 */
final class BitstringBuilder {

    /** The most bits a literal may have, so that a short text cannot ask for more than 256 MiB. */
    static final long MAX_BITS = Integer.MAX_VALUE;

    /**
     * The type of a segment. As in Erlang, {@code binary}, {@code bytes}, {@code bits} and {@code
     * bitstring} are all binaries; they differ only in the unit they imply.
     */
    enum Type {
        INTEGER, FLOAT, BINARY, UTF8, UTF16, UTF32
    }

    /** A segment's size and type specifiers: what follows its value, as in {@code :16/little-unit:8}. */
    static final class Segment {

        private Type type;
        private String typeName;
        private String signedness;
        private String endianness;
        private int unit;
        private String unitName;
        private long size = -1;

        /** Sets the size, in units, from {@code Value:Size}. */
        void size(long size) {
            this.size = size;
        }

        /** Sets the unit from {@code unit:N}. */
        void unit(long unit) {
            if (unit < 1 || unit > 256) {
                throw new IllegalArgumentException("expected a unit from 1 to 256 but was " + unit);
            }
            unit((int) unit, "unit:" + unit);
        }

        private void unit(int unit, String name) {
            if (this.unit != 0 && this.unit != unit) {
                throw new IllegalArgumentException("conflicting type specifiers " + unitName + " and " + name);
            }
            this.unit = unit;
            this.unitName = name;
        }

        /** Adds a type specifier other than {@code unit:N}, such as {@code binary} or {@code little}. */
        void specifier(String name) {
            switch (name) {
                case "integer" -> type(Type.INTEGER, name);
                case "float" -> type(Type.FLOAT, name);
                case "binary" -> type(Type.BINARY, name);
                case "bytes" -> {
                    type(Type.BINARY, name);
                    unit(8, name);
                }
                case "bitstring", "bits" -> {
                    type(Type.BINARY, name);
                    unit(1, name);
                }
                case "utf8" -> type(Type.UTF8, name);
                case "utf16" -> type(Type.UTF16, name);
                case "utf32" -> type(Type.UTF32, name);
                case "signed", "unsigned" -> signedness = same(signedness, name);
                case "big", "little", "native" -> endianness = same(endianness, name);
                default -> throw new IllegalArgumentException("unknown type specifier '" + TermLexer.shorten(name)
                        + "'; expected integer, float, binary, bytes, bitstring, bits, utf8, utf16, utf32,"
                        + " signed, unsigned, big, little, native or unit:N");
            }
        }

        private void type(Type type, String name) {
            if (this.type != null && this.type != type) {
                throw new IllegalArgumentException("conflicting type specifiers " + typeName + " and " + name);
            }
            this.type = type;
            this.typeName = name;
        }

        private static String same(String old, String name) {
            if (old != null && !old.equals(name)) {
                throw new IllegalArgumentException("conflicting type specifiers " + old + " and " + name);
            }
            return name;
        }

        Type type() {
            return type == null ? Type.INTEGER : type;
        }

        boolean littleEndian() {
            return "little".equals(endianness)
                    || ("native".equals(endianness) && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        }

        /** The size in bits of an integer or float segment, given its default size. */
        long fixedBits(long defaultSize) {
            if (size < 0 && unit != 0) {
                throw new IllegalArgumentException("a unit needs a size, as in Value:Size/unit:" + unit);
            }
            return (size < 0 ? defaultSize : size) * (unit == 0 ? 1 : unit);
        }
    }

    private byte[] bytes = new byte[16];
    private long bitLength;

    /**
     * Appends one segment. The value is an integer, a float, a binary or a bitstring; which it may be
     * depends on the segment's type, as in Erlang, where {@code <<<<1>>>>} needs {@code /binary}.
     */
    void append(Term value, Segment segment) {
        Type type = segment.type();
        switch (type) {
            case INTEGER -> writeInteger(integer(value), segment.fixedBits(8), segment.littleEndian());
            case FLOAT -> writeFloat(value, floatBits(segment), segment.littleEndian());
            case BINARY -> writeBitstring(value, segment);
            default -> writeUtf(value, segment);
        }
    }

    /**
     * Appends the characters of a string literal, each as a segment of its own, as Erlang does:
     * {@code <<"ab"/utf8>>} is {@code <<$a/utf8, $b/utf8>>}.
     */
    void appendString(String text, Segment segment) {
        // The specifiers must make sense even when there are no characters, as in Erlang.
        Type type = segment.type();
        if (type == Type.BINARY) {
            throw new IllegalArgumentException("expected a binary but was a string, whose characters are integers;"
                    + " remove the binary type");
        } else if (type == Type.FLOAT) {
            floatBits(segment);
        } else if (type != Type.INTEGER) {
            checkUtf(segment);
        }
        long bits = type == Type.INTEGER ? segment.fixedBits(8) : Long.MAX_VALUE;
        for (int c : text.codePoints().toArray()) {
            if (bits < 32 && c >= 1L << bits) {
                // Erlang would keep only the low bits, turning "привет" into garbage without a word.
                throw new IllegalArgumentException(String.format(
                        "character U+%04X does not fit in %d bits; add /utf8 to write the string as UTF-8",
                        c, bits));
            }
            append(Int.of(c), segment);
        }
    }

    /** The bits so far: a {@link Binary} when they fill whole bytes, else a {@link Bitstring}. */
    Term build() {
        return Bitstring.bits(bytes, bitLength);
    }

    private static BigInteger integer(Term value) {
        if (value instanceof Int i) {
            return BigInteger.valueOf(i.value());
        } else if (value instanceof BigInt big) {
            return big.value();
        }
        String hint = value instanceof ErlFloat ? "; add /float to write a float"
                : value instanceof Binary || value instanceof Bitstring ? "; add /binary or /bits to write a binary"
                : "";
        throw new IllegalArgumentException("expected an integer but was " + describe(value) + hint);
    }

    /** Writes the low {@code bits} bits of {@code value} in two's complement. */
    private void writeInteger(BigInteger value, long bits, boolean little) {
        reserve(bits);
        byte[] twos = value.toByteArray();
        int fill = value.signum() < 0 ? 0xFF : 0;
        long whole = bits >>> 3;
        int rest = (int) (bits & 7);
        if (little) {
            // Erlang writes the low bytes first and the remaining high bits last.
            for (long j = 0; j < whole; j++) {
                put(byteAt(twos, fill, j), 8);
            }
            put(byteAt(twos, fill, whole), rest);
        } else {
            put(byteAt(twos, fill, whole), rest);
            for (long j = whole - 1; j >= 0; j--) {
                put(byteAt(twos, fill, j), 8);
            }
        }
    }

    /** Byte {@code j} of a two's complement number, counting from the least significant. */
    private static int byteAt(byte[] twos, int fill, long j) {
        return j < twos.length ? twos[twos.length - 1 - (int) j] & 0xFF : fill;
    }

    private static long floatBits(Segment segment) {
        long bits = segment.fixedBits(64);
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("expected a float size of 16, 32 or 64 bits but was " + bits);
        }
        return bits;
    }

    private void writeFloat(Term value, long bits, boolean little) {
        double number;
        if (value instanceof ErlFloat f) {
            number = f.value();
        } else if (value instanceof Int || value instanceof BigInt) {
            number = integer(value).doubleValue();
            if (Double.isInfinite(number)) {
                throw new IllegalArgumentException("expected an integer within the range of a float but was "
                        + describe(value));
            }
        } else {
            throw new IllegalArgumentException("expected a number but was " + describe(value));
        }
        // As in OTP, a value too large for 16 or 32 bits becomes infinity rather than an error.
        long pattern;
        if (bits == 64) {
            pattern = Double.doubleToRawLongBits(number);
        } else if (bits == 32) {
            pattern = Float.floatToRawIntBits((float) number) & 0xFFFFFFFFL;
        } else {
            pattern = toHalf(number);
        }
        writeInteger(BigInteger.valueOf(pattern), bits, little);
    }

    /** The IEEE 754 half-precision pattern of {@code value}, rounded to nearest, ties to even. */
    static int toHalf(double value) {
        int sign = Double.doubleToRawLongBits(value) < 0 ? 0x8000 : 0;
        double magnitude = Math.abs(value);
        if (magnitude == 0) {
            return sign;
        }
        // The spacing of halfs near the value: 2^-24 among the subnormals, else 10 bits below the top.
        double quantum = Math.scalb(1.0, Math.max(Math.getExponent(magnitude), -14) - 10);
        double steps = Math.rint(magnitude / quantum);
        double rounded = steps * quantum;
        if (rounded > 65504.0) {
            return sign | 0x7C00;
        }
        int exponent = Math.getExponent(rounded);
        if (exponent < -14) {
            return sign | (int) steps;
        }
        int mantissa = (int) (rounded / Math.scalb(1.0, exponent - 10)) - 1024;
        return sign | (exponent + 15) << 10 | mantissa;
    }

    private void writeBitstring(Term value, Segment segment) {
        byte[] source;
        long available;
        if (value instanceof Binary binary) {
            source = binary.toByteArray();
            available = 8L * binary.size();
        } else if (value instanceof Bitstring bits) {
            source = bits.toByteArray();
            available = bits.bitSize();
        } else {
            throw new IllegalArgumentException("expected a binary but was " + describe(value));
        }
        long unit = segment.unit == 0 ? 8 : segment.unit;
        long count;
        if (segment.size >= 0) {
            count = segment.size * unit;
            if (count > available) {
                throw new IllegalArgumentException("expected a binary of at least " + count + " bits but was "
                        + describe(value) + ", of " + available + " bits");
            }
        } else if (available % unit != 0) {
            String hint = unit == 8 ? "; add /bits to write a bitstring" : "";
            throw new IllegalArgumentException("expected a binary whose size is a multiple of " + unit
                    + " bits but was " + describe(value) + ", of " + available + " bits" + hint);
        } else {
            count = available;
        }
        writeBits(source, count);
    }

    /** Writes the first {@code count} bits of {@code source}. */
    private void writeBits(byte[] source, long count) {
        reserve(count);
        int whole = (int) (count >>> 3);
        if ((bitLength & 7) == 0) {
            System.arraycopy(source, 0, bytes, (int) (bitLength >>> 3), whole);
            bitLength += 8L * whole;
        } else {
            for (int i = 0; i < whole; i++) {
                put(source[i] & 0xFF, 8);
            }
        }
        int rest = (int) (count & 7);
        if (rest > 0) {
            put((source[whole] & 0xFF) >>> (8 - rest), rest);
        }
    }

    private static void checkUtf(Segment segment) {
        if (segment.size >= 0 || segment.unit != 0) {
            throw new IllegalArgumentException(segment.typeName + " segments take no size or unit");
        }
    }

    private void writeUtf(Term value, Segment segment) {
        checkUtf(segment);
        Type type = segment.type();
        String name = segment.typeName;
        if (!(value instanceof Int i) || !ErlList.isCodePoint(i.value())) {
            throw new IllegalArgumentException("expected a Unicode code point for a " + name + " segment but was "
                    + describe(value));
        }
        int c = (int) i.value();
        boolean little = segment.littleEndian();
        if (type == Type.UTF32) {
            writeInteger(BigInteger.valueOf(c), 32, little);
        } else if (type == Type.UTF16) {
            for (char unit : Character.toChars(c)) {
                writeInteger(BigInteger.valueOf(unit), 16, little);
            }
        } else {
            byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
            writeBits(utf8, 8L * utf8.length);
        }
    }

    /** Makes room for {@code more} bits. */
    private void reserve(long more) {
        long needed = bitLength + more;
        if (needed > MAX_BITS) {
            throw new IllegalArgumentException("expected a binary of at most " + MAX_BITS + " bits but this segment"
                    + " makes it " + needed + " bits");
        }
        int neededBytes = (int) ((needed + 7) >>> 3);
        if (neededBytes > bytes.length) {
            long doubled = Math.min(2L * bytes.length, (MAX_BITS + 7) >>> 3);
            bytes = Arrays.copyOf(bytes, (int) Math.max(neededBytes, doubled));
        }
    }

    /** Writes the low {@code count} bits of {@code value} (at most 8), most significant first. */
    private void put(int value, int count) {
        while (count > 0) {
            int used = (int) (bitLength & 7);
            int n = Math.min(8 - used, count);
            int chunk = (value >>> (count - n)) & ((1 << n) - 1);
            bytes[(int) (bitLength >>> 3)] |= (byte) (chunk << (8 - used - n));
            bitLength += n;
            count -= n;
        }
    }

    private static String describe(Term value) {
        return TermLexer.shorten(value.toString());
    }
}
