package io.jdist.term;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Erlang binary: a sequence of bytes. Elixir strings are UTF-8 binaries ({@link #of(String)},
 * {@link #utf8()}).
 *
 * <p>A binary may be a view of part of a larger array, as binaries decoded from a buffer that the
 * decoder was allowed to share are; it never changes after it is made.
 */
public final class Binary implements Term {

    /** The empty binary {@code <<>>}. */
    public static final Binary EMPTY = new Binary(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private Binary(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Returns a binary holding a copy of {@code bytes}. */
    public static Binary of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Binary(bytes.clone(), 0, bytes.length);
    }

    /** Returns a binary holding the UTF-8 encoding of {@code text}. */
    public static Binary of(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a binary backed by {@code bytes} without copying. The caller must not change the array
     * afterwards.
     */
    public static Binary wrap(byte[] bytes) {
        return wrap(bytes, 0, bytes.length);
    }

    /**
     * Returns a binary backed by {@code length} bytes of {@code bytes} from {@code offset}, without
     * copying. The caller must not change that part of the array afterwards.
     */
    public static Binary wrap(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Binary(bytes, offset, length);
    }

    /** The number of bytes. */
    public int size() {
        return length;
    }

    /** The byte at {@code index}, from 0 to 255. */
    public int byteAt(int index) {
        Objects.checkIndex(index, length);
        return array[offset + index] & 0xFF;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** A read-only view of the bytes, without copying. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /** The bytes decoded as UTF-8, malformed sequences replaced by U+FFFD. */
    public String utf8() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Binary that
                && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
    }

    /** Computed at each call, as {@link Tuple#hashCode()}: a cached hash would make every binary 8 bytes larger. */
    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    /** The binary in Erlang syntax: {@code <<"text">>}, {@code <<"héllo"/utf8>>} or {@code <<1,2,3>>}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
