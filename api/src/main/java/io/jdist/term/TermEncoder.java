package io.jdist.term;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.Deflater;

/**
 * Encodes terms in the External Term Format. {@link #standard()} gives the same bytes as OTP 25's
 * {@code term_to_binary/1}; the builder offers Erlang's {@code minor_version} and {@code compressed}
 * options. Instances are immutable and thread-safe.
 *
 * <p>Where OTP's choice is not a function of the term alone, jdist's differs: maps of more than 32
 * keys are written in the map's iteration order (a decoded map keeps the order it arrived in), while
 * OTP writes them in the order of its internal hash.
 */
public final class TermEncoder {

    /** Maps with at most this many keys are written in map key order, as OTP's flatmaps are. */
    static final int FLATMAP_LIMIT = 32;

    private static final TermEncoder STANDARD = new Builder().build();

    private final int minorVersion;
    private final int compressionLevel;

    private TermEncoder(Builder builder) {
        this.minorVersion = builder.minorVersion;
        this.compressionLevel = builder.compressionLevel;
    }

    /** The encoder that matches OTP 25's {@code term_to_binary/1}: minor version 1, no compression. */
    public static TermEncoder standard() {
        return STANDARD;
    }

    /** A builder starting from the {@link #standard()} settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this encoder's settings. */
    public Builder toBuilder() {
        return new Builder().minorVersion(minorVersion).compressed(compressionLevel);
    }

    /** Encodes {@code term} with the version byte 131 in front, as {@code term_to_binary} does. */
    public byte[] encode(Term term) {
        if (compressionLevel > 0) {
            byte[] compressed = compress(term);
            if (compressed != null) {
                return compressed;
            }
        }
        // One pass into a growing buffer, then one copy of the bytes written: cheaper than sizing
        // the term first when it has many small parts. A term holding a large binary is sized
        // instead, so that the binary's bytes are copied once.
        int slot = Scratch.slot();
        Writer growing = new Writer(Scratch.take(slot), 0, true);
        try {
            growing.u8(Tags.VERSION);
            growing.term(term);
            byte[] encoded = Arrays.copyOf(growing.out, growing.pos);
            Scratch.giveBack(slot, growing.out);
            return encoded;
        } catch (LargeBinary sizeItFirst) {
            Scratch.giveBack(slot, growing.out);
            byte[] out = new byte[1 + sizeOf(term)];
            Writer writer = new Writer(out, 0, false);
            writer.u8(Tags.VERSION);
            writer.term(term);
            return out;
        }
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** For moving bytes, whose order then does not matter. */
    private static final VarHandle NATIVE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle NATIVE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /**
     * The buffers that growing encodings write into, given back when done for the next ones: an
     * encoding then allocates only its result, where a fresh buffer cost a third of the time of
     * encoding a map of 100 entries in allocating, zeroing and growing it. A thread takes the
     * buffer of the slot its id picks, by an atomic swap, so no two encodings ever share one;
     * one that finds the slot empty allocates a buffer, as without the pool. The pool holds at
     * most {@link #SLOTS} buffers of at most {@link #KEPT} bytes.
     */
    private static final class Scratch {

        private static final int SLOTS = 16;
        /** Slots are this many references apart, so that threads on different cores share no cache line. */
        private static final int SPACING = 16;
        private static final int KEPT = 64 * 1024;
        /** Where a growing encoding starts: most messages fit. */
        private static final int INITIAL_CAPACITY = 256;

        private static final AtomicReferenceArray<byte[]> BUFFERS = new AtomicReferenceArray<>(SLOTS * SPACING);

        private Scratch() {
        }

        static int slot() {
            return ((int) Thread.currentThread().getId() & (SLOTS - 1)) * SPACING;
        }

        static byte[] take(int slot) {
            byte[] buffer = BUFFERS.getAndSet(slot, null);
            return buffer != null ? buffer : new byte[INITIAL_CAPACITY];
        }

        /** Empties the pool, so that the next encodings grow fresh buffers: for tests of growing. */
        static void clear() {
            for (int i = 0; i < BUFFERS.length(); i++) {
                BUFFERS.set(i, null);
            }
        }

        /** Gives a buffer back after the encoding's bytes were copied out; a grown buffer replaces the one taken. */
        static void giveBack(int slot, byte[] buffer) {
            if (buffer.length <= KEPT) {
                BUFFERS.setRelease(slot, buffer);
            }
        }
    }

    /** Binaries longer than this make a growing encoding start again with the exact size. */
    private static final int LARGE_BINARY = 4096;

    /** Thrown (without a stack trace) when a growing encoding meets a large binary. */
    private static final class LargeBinary extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final LargeBinary INSTANCE = new LargeBinary();

        private LargeBinary() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes {@code term} with its version byte into {@code target} at its position, advancing the
     * position.
     *
     * @throws java.nio.BufferOverflowException if the term does not fit; {@link #encodedSize} tells
     *     how much room it needs
     */
    public void encode(Term term, ByteBuffer target) {
        if (compressionLevel == 0 && target.hasArray()) {
            int size = 1 + sizeOf(term);
            if (target.remaining() < size) {
                throw new java.nio.BufferOverflowException();
            }
            Writer writer = new Writer(target.array(), target.arrayOffset() + target.position(), false);
            writer.u8(Tags.VERSION);
            writer.term(term);
            target.position(target.position() + size);
        } else {
            target.put(encode(term));
        }
    }

    /** Makes the next encodings start from fresh buffers, which they grow: for tests. */
    static void emptyBufferPool() {
        Scratch.clear();
    }

    /** The number of bytes {@link #encode(Term)} produces for {@code term} without compression. */
    public int encodedSize(Term term) {
        return 1 + sizeOf(term);
    }

    /** The compressed encoding, or {@code null} when compressing does not make it smaller, as in OTP. */
    private byte[] compress(Term term) {
        byte[] body = new byte[sizeOf(term)];
        new Writer(body, 0, false).term(term);
        // OTP keeps the compressed form only when it fits in the space of the plain one.
        byte[] out = new byte[body.length + 1];
        Deflater deflater = new Deflater(compressionLevel);
        try {
            deflater.setInput(body);
            deflater.finish();
            int room = body.length - 5;
            if (room <= 0) {
                return null;
            }
            int written = deflater.deflate(out, 6, room);
            if (!deflater.finished()) {
                return null;
            }
            out[0] = (byte) Tags.VERSION;
            out[1] = (byte) Tags.COMPRESSED;
            INT.set(out, 2, body.length);
            return Arrays.copyOf(out, 6 + written);
        } finally {
            deflater.end();
        }
    }

    private boolean latin1Atoms() {
        return minorVersion < 2;
    }

    /** The encoded size of {@code term} without the version byte. */
    int sizeOf(Term term) {
        long size = sizeOf(term, 0);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("term of " + size + " bytes is too large to encode into an array");
        }
        return (int) size;
    }

    private long sizeOf(Term term, long acc) {
        if (term instanceof Atom atom) {
            return acc + atomSize(atom);
        } else if (term instanceof Int i) {
            long v = i.value();
            if (v >= 0 && v <= 255) {
                return acc + 2;
            }
            if (v == (int) v) {
                return acc + 5;
            }
            return acc + 3 + magnitudeBytes(v);
        } else if (term instanceof Tuple tuple) {
            Term[] elements = tuple.array();
            acc += elements.length <= 255 ? 2 : 5;
            for (Term element : elements) {
                acc = sizeOf(element, acc);
            }
            return acc;
        } else if (term instanceof ErlList list) {
            Term[] elements = list.array();
            if (elements.length == 0) {
                return acc + 1;
            }
            if (isByteString(list)) {
                return acc + 3 + elements.length;
            }
            acc += 5;
            for (Term element : elements) {
                acc = sizeOf(element, acc);
            }
            return list.isProper() ? acc + 1 : sizeOf(list.improperTail(), acc);
        } else if (term instanceof Binary binary) {
            return acc + 5 + binary.size();
        } else if (term instanceof ErlFloat) {
            return acc + 9;
        } else if (term instanceof ErlMap map) {
            acc += 5;
            for (Term keyOrValue : map.encodingOrder()) {
                acc = sizeOf(keyOrValue, acc);
            }
            return acc;
        } else if (term instanceof Pid pid) {
            return acc + 13 + atomSize(pid.node());
        } else if (term instanceof BigInt big) {
            int n = (big.value().abs().bitLength() + 7) / 8;
            return acc + (n <= 255 ? 3 : 6) + n;
        } else if (term instanceof Bitstring bits) {
            return acc + 6 + bits.byteSize();
        } else if (term instanceof Ref ref) {
            return acc + 7 + atomSize(ref.node()) + 4L * ref.wordCount();
        } else if (term instanceof Port port) {
            return acc + (isV3Port(port) ? 9 : 13) + atomSize(port.node());
        } else if (term instanceof ExportFun fun) {
            return acc + 3 + atomSize(fun.module()) + atomSize(fun.function());
        } else {
            return acc + 1 + ((Closure) term).encoded().length;
        }
    }

    private static boolean isV3Port(Port port) {
        return Long.compareUnsigned(port.id(), 0x0FFF_FFFFL) <= 0;
    }

    private static int magnitudeBytes(long v) {
        long magnitude = v == Long.MIN_VALUE ? v : Math.abs(v);
        return (64 - Long.numberOfLeadingZeros(magnitude) + 7) / 8;
    }

    /** Lists of 1 to 65535 integers from 0 to 255 are written as STRING_EXT, as OTP does. */
    private static boolean isByteString(ErlList list) {
        Term[] elements = list.array();
        if (!list.isProper() || elements.length > 0xFFFF) {
            return false;
        }
        for (Term element : elements) {
            if (!(element instanceof Int i) || i.value() < 0 || i.value() > 255) {
                return false;
            }
        }
        return true;
    }

    private int atomSize(Atom atom) {
        return encodedAtom(atom).length;
    }

    /** The atom as this encoder writes it, tag and length included. The caller must not change it. */
    private byte[] encodedAtom(Atom atom) {
        String name = atom.name();
        // Two ways: an atom is in one of the two slots of its pair, the one made last in the first.
        int slot = ((name.hashCode() ^ (name.hashCode() >>> 16)) & (ATOMS.length / 2 - 1)) << 1;
        EncodedAtom found = ATOMS[slot];
        if (found == null || (found.name != name && !found.name.equals(name))) {
            found = secondWay(slot, name);
        }
        return latin1Atoms() ? found.latin1 : found.utf8;
    }

    private static EncodedAtom secondWay(int slot, String name) {
        EncodedAtom second = ATOMS[slot + 1];
        if (second != null && (second.name == name || second.name.equals(name))) {
            return second;
        }
        EncodedAtom made = EncodedAtom.of(name);
        ATOMS[slot + 1] = ATOMS[slot];
        ATOMS[slot] = made;
        return made;
    }

    /**
     * Atoms lately encoded: atoms recur, and a hit costs no scan or copy of their characters. Pairs
     * of slots, so that two atoms whose names hash alike do not keep evicting each other.
     */
    private static final EncodedAtom[] ATOMS = new EncodedAtom[2048];

    /**
     * An entry of {@link #ATOMS}: an atom's encodings under minor versions 1 and 2. Immutable, so
     * encoders share the cache without locks: a racing write loses an entry, never corrupts one.
     */
    private record EncodedAtom(String name, byte[] latin1, byte[] utf8) {

        static EncodedAtom of(String name) {
            byte[] text = name.getBytes(StandardCharsets.UTF_8);
            byte[] utf8 = withHeader(text.length <= 255 ? Tags.SMALL_ATOM_UTF8_EXT : Tags.ATOM_UTF8_EXT, text);
            // Minor version 1 writes an atom of Latin-1 characters as ATOM_EXT, one byte a character.
            byte[] latin1 = isLatin1(name)
                    ? withHeader(Tags.ATOM_EXT, name.getBytes(StandardCharsets.ISO_8859_1)) : utf8;
            return new EncodedAtom(name, latin1, utf8);
        }

        private static byte[] withHeader(int tag, byte[] text) {
            int header = tag == Tags.SMALL_ATOM_UTF8_EXT ? 2 : 3;
            byte[] encoded = new byte[header + text.length];
            encoded[0] = (byte) tag;
            if (header == 2) {
                encoded[1] = (byte) text.length;
            } else {
                SHORT.set(encoded, 1, (short) text.length);
            }
            System.arraycopy(text, 0, encoded, header, text.length);
            return encoded;
        }
    }

    private static boolean isLatin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes terms into an array, either sized exactly by {@link #sizeOf} or growing as it fills
     * (and then refusing large binaries, see {@link LargeBinary}). A scalar, or a container's header,
     * makes room for all its bytes at once, then writes them without further checks.
     */
    private final class Writer {

        private final boolean growing;
        private byte[] out;
        private int pos;
        /**
         * The name and encoding of the atom that began the last tuple. Lists of records repeat
         * their tag, and a hit here spares the lookup in {@link #ATOMS}, whose chain of dependent
         * loads the position of everything after the atom waits for.
         */
        private String lastTagName;
        private byte[] lastTag;

        Writer(byte[] out, int pos, boolean growing) {
            this.out = out;
            this.pos = pos;
            this.growing = growing;
        }

        /**
         * Makes room for at most {@code n} more bytes in a growing array. An exact array has room
         * for what is written, but maybe not for {@code n}, which may be more.
         */
        private void ensure(int n) {
            if (growing && n > out.length - pos) {
                grow(n);
            }
        }

        private void grow(int n) {
            out = Arrays.copyOf(out, Math.max(2 * out.length, pos + n));
        }

        /** Makes room for a binary of {@code n} bytes and its 5- or 6-byte header, or gives up growing for a large one. */
        private void ensureBinary(int n) {
            if (growing && n > LARGE_BINARY) {
                throw LargeBinary.INSTANCE;
            }
            ensure(6 + n);
        }

        /** The common types first, each in a method small enough to be compiled into this one. */
        void term(Term term) {
            if (term instanceof Atom atom) {
                atom(atom);
            } else if (term instanceof Int i) {
                integer(i.value());
            } else if (term instanceof Tuple tuple) {
                tuple(tuple.array());
            } else if (term instanceof Binary binary) {
                binary(binary);
            } else if (term instanceof ErlList list) {
                list(list);
            } else if (term instanceof ErlMap map) {
                map(map);
            } else {
                other(term);
            }
        }

        private void atom(Atom atom) {
            byte[] encoded = encodedAtom(atom);
            ensure(encoded.length);
            copy(encoded, 0, encoded.length);
        }

        private void integer(long v) {
            ensure(11);
            pos = putInteger(out, pos, v);
        }

        private void tuple(Term[] elements) {
            ensure(5);
            if (elements.length <= 255) {
                out[pos] = (byte) Tags.SMALL_TUPLE_EXT;
                out[pos + 1] = (byte) elements.length;
                pos += 2;
            } else {
                out[pos] = (byte) Tags.LARGE_TUPLE_EXT;
                INT.set(out, pos + 1, elements.length);
                pos += 5;
            }
            if (elements.length > 0 && elements[0] instanceof Atom tag) {
                byte[] encoded = tag.name() == lastTagName ? lastTag : rememberTag(tag);
                ensure(encoded.length);
                copy(encoded, 0, encoded.length);
                elements(elements, 1);
            } else {
                elements(elements, 0);
            }
        }

        private byte[] rememberTag(Atom tag) {
            byte[] encoded = encodedAtom(tag);
            lastTagName = tag.name();
            lastTag = encoded;
            return encoded;
        }

        private void binary(Binary binary) {
            int n = binary.size();
            ensureBinary(n);
            out[pos] = (byte) Tags.BINARY_EXT;
            INT.set(out, pos + 1, n);
            pos += 5;
            copy(binary.array(), binary.offset(), n);
        }

        private void list(ErlList list) {
            Term[] elements = list.array();
            if (elements.length == 0) {
                u8(Tags.NIL_EXT);
                return;
            }
            if (isByteString(list)) {
                ensure(3 + elements.length);
                out[pos] = (byte) Tags.STRING_EXT;
                SHORT.set(out, pos + 1, (short) elements.length);
                pos += 3;
                for (Term element : elements) {
                    out[pos++] = (byte) ((Int) element).value();
                }
                return;
            }
            ensure(5);
            out[pos] = (byte) Tags.LIST_EXT;
            INT.set(out, pos + 1, elements.length);
            pos += 5;
            elements(elements, 0);
            if (list.isProper()) {
                u8(Tags.NIL_EXT);
            } else {
                term(list.improperTail());
            }
        }

        private void map(ErlMap map) {
            ensure(5);
            out[pos] = (byte) Tags.MAP_EXT;
            INT.set(out, pos + 1, map.size());
            pos += 5;
            elements(map.encodingOrder(), 0);
        }

        /** The types rarer in messages. */
        private void other(Term term) {
            if (term instanceof ErlFloat f) {
                u8(Tags.NEW_FLOAT_EXT);
                u64(Double.doubleToRawLongBits(f.value()));
            } else if (term instanceof Pid pid) {
                u8(Tags.NEW_PID_EXT);
                atom(pid.node());
                u32(pid.id());
                u32(pid.serial());
                u32(pid.creation());
            } else if (term instanceof BigInt big) {
                bigInteger(big.value());
            } else if (term instanceof Bitstring bits) {
                ensureBinary(bits.array().length);
                u8(Tags.BIT_BINARY_EXT);
                u32(bits.byteSize());
                u8(bits.tailBits());
                bytes(bits.array());
            } else if (term instanceof Ref ref) {
                u8(Tags.NEWER_REFERENCE_EXT);
                u16(ref.wordCount());
                atom(ref.node());
                u32(ref.creation());
                for (int i = 0; i < ref.wordCount(); i++) {
                    u32(ref.word(i));
                }
            } else if (term instanceof Port port) {
                if (isV3Port(port)) {
                    u8(Tags.NEW_PORT_EXT);
                    atom(port.node());
                    u32((int) port.id());
                } else {
                    u8(Tags.V4_PORT_EXT);
                    atom(port.node());
                    u64(port.id());
                }
                u32(port.creation());
            } else if (term instanceof ExportFun fun) {
                u8(Tags.EXPORT_EXT);
                atom(fun.module());
                atom(fun.function());
                u8(Tags.SMALL_INTEGER_EXT);
                u8(fun.arity());
            } else {
                byte[] encoded = ((Closure) term).encoded();
                ensureBinary(encoded.length);
                u8(Tags.NEW_FUN_EXT);
                bytes(encoded);
            }
        }

        private void bigInteger(BigInteger value) {
            byte[] magnitude = value.abs().toByteArray(); // big-endian, maybe a leading zero byte
            int skip = magnitude[0] == 0 ? 1 : 0;
            int n = magnitude.length - skip;
            if (n <= 255) {
                u8(Tags.SMALL_BIG_EXT);
                u8(n);
            } else {
                u8(Tags.LARGE_BIG_EXT);
                u32(n);
            }
            u8(value.signum() < 0 ? 1 : 0);
            ensure(n);
            for (int i = magnitude.length - 1; i >= skip; i--) {
                out[pos++] = magnitude[i];
            }
        }

        /** Copies {@code n} bytes to the position, for which there is room, and advances it. */
        private void copy(byte[] from, int at, int n) {
            pos = putBytes(out, pos, from, at, n);
        }

        /**
         * Writes a container's elements from index {@code from} on. Atoms and integers, most
         * elements of most messages, are written here with the array and the position in locals,
         * which the JIT keeps in registers from one element to the next; the rest through {@link
         * #term}.
         */
        private void elements(Term[] elements, int from) {
            byte[] b = out;
            int p = pos;
            for (int index = from; index < elements.length; index++) {
                Term element = elements[index];
                if (element instanceof Atom atom) {
                    byte[] encoded = encodedAtom(atom);
                    if (growing && encoded.length > b.length - p) {
                        pos = p;
                        grow(encoded.length);
                        b = out;
                    }
                    p = putBytes(b, p, encoded, 0, encoded.length);
                } else if (element instanceof Int i) {
                    if (growing && 11 > b.length - p) {
                        pos = p;
                        grow(11);
                        b = out;
                    }
                    p = putInteger(b, p, i.value());
                } else {
                    pos = p;
                    term(element);
                    b = out;
                    p = pos;
                }
            }
            pos = p;
        }

        void u8(int v) {
            ensure(1);
            out[pos++] = (byte) v;
        }

        private void u16(int v) {
            ensure(2);
            SHORT.set(out, pos, (short) v);
            pos += 2;
        }

        private void u32(int v) {
            ensure(4);
            INT.set(out, pos, v);
            pos += 4;
        }

        private void u64(long v) {
            ensure(8);
            LONG.set(out, pos, v);
            pos += 8;
        }

        private void bytes(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, out, pos, bytes.length);
            pos += bytes.length;
        }
    }

    /** Writes an integer at {@code p}, where there is room for 11 bytes; returns the position after it. */
    private static int putInteger(byte[] b, int p, long v) {
        if (v >= 0 && v <= 255) {
            b[p] = (byte) Tags.SMALL_INTEGER_EXT;
            b[p + 1] = (byte) v;
            return p + 2;
        } else if (v == (int) v) {
            b[p] = (byte) Tags.INTEGER_EXT;
            INT.set(b, p + 1, (int) v);
            return p + 5;
        }
        int n = magnitudeBytes(v);
        b[p] = (byte) Tags.SMALL_BIG_EXT;
        b[p + 1] = (byte) n;
        b[p + 2] = (byte) (v < 0 ? 1 : 0);
        long magnitude = v < 0 ? -v : v; // Long.MIN_VALUE stays itself, read as unsigned
        for (int i = 0; i < n; i++) {
            b[p + 3 + i] = (byte) (magnitude >>> (8 * i));
        }
        return p + 3 + n;
    }

    /**
     * Copies {@code n} bytes of {@code from} at {@code at} to {@code to} at {@code p}, where there
     * is room; returns the position after them. Most atoms and many binaries are short: two
     * overlapping moves, or a few single ones, copy up to 16 bytes faster than arraycopy, whose
     * call costs more than the copy.
     */
    private static int putBytes(byte[] to, int p, byte[] from, int at, int n) {
        if (n >= 8 && n <= 16) {
            NATIVE_LONG.set(to, p, (long) NATIVE_LONG.get(from, at));
            NATIVE_LONG.set(to, p + n - 8, (long) NATIVE_LONG.get(from, at + n - 8));
        } else if (n >= 4 && n < 8) {
            NATIVE_INT.set(to, p, (int) NATIVE_INT.get(from, at));
            NATIVE_INT.set(to, p + n - 4, (int) NATIVE_INT.get(from, at + n - 4));
        } else if (n < 4) {
            for (int i = 0; i < n; i++) {
                to[p + i] = from[at + i];
            }
        } else {
            System.arraycopy(from, at, to, p, n);
        }
        return p + n;
    }

    /** Builds a {@link TermEncoder}. */
    public static final class Builder {

        private int minorVersion = 1;
        private int compressionLevel;

        private Builder() {
        }

        /**
         * Erlang's {@code {minor_version, N}}: 1 (OTP 25's default) writes atoms of Latin-1
         * characters as ATOM_EXT; 2 (OTP 26's default) writes every atom as UTF-8.
         *
         * @throws IllegalArgumentException unless {@code version} is 1 or 2
         */
        public Builder minorVersion(int version) {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("expected minor version 1 or 2 but was " + version);
            }
            this.minorVersion = version;
            return this;
        }

        /**
         * Erlang's {@code {compressed, Level}}: 0 for none, 1 (fastest) to 9 (smallest). As in OTP,
         * the compressed form is used only when it is smaller.
         */
        public Builder compressed(int level) {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("expected a compression level from 0 to 9 but was " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        public TermEncoder build() {
            return new TermEncoder(this);
        }
    }
}
