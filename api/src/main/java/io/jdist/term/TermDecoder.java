package io.jdist.term;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the External Term Format: every tag OTP 25 sends or {@code binary_to_term/1} accepts,
 * including the legacy ones and zlib-compressed terms. Instances are immutable and thread-safe.
 *
 * <p>Input is untrusted. No length is used before it is checked against the bytes that remain and
 * against this decoder's limits ({@link Builder#maxDepth}, {@link Builder#maxTermSize}); any
 * violation throws a {@link TermDecodeException} that names the offset, the tag and what was
 * expected, never an {@link OutOfMemoryError} or {@link StackOverflowError}.
 */
public final class TermDecoder {

    /** The default limit on nesting: deeper terms are refused. */
    public static final int DEFAULT_MAX_DEPTH = 1000;
    /** The largest depth limit a decoder may be given. */
    public static final int MAX_DEPTH_LIMIT = 10_000;
    /** The default limit on a term's size in bytes, compressed or inflated. */
    public static final int DEFAULT_MAX_TERM_SIZE = 64 * 1024 * 1024;

    private static final TermDecoder STANDARD = new Builder().build();
    private static final Pattern FLOAT_TEXT = Pattern.compile("[-+]?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?");

    private final int maxDepth;
    private final int maxTermSize;
    private final boolean shareBinaries;

    private TermDecoder(Builder builder) {
        this.maxDepth = builder.maxDepth;
        this.maxTermSize = builder.maxTermSize;
        this.shareBinaries = builder.shareBinaries;
    }

    /** The decoder with the default limits, which copies the bytes of the binaries it decodes. */
    public static TermDecoder standard() {
        return STANDARD;
    }

    /** A builder starting from the {@link #standard()} settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this decoder's settings. */
    public Builder toBuilder() {
        return new Builder().maxDepth(maxDepth).maxTermSize(maxTermSize).shareBinaries(shareBinaries);
    }

    /**
     * Decodes {@code bytes}, which must hold exactly one term with its version byte 131. Unlike
     * {@code binary_to_term/1}, which ignores them, bytes after the term are refused.
     */
    public Term decode(byte[] bytes) {
        boolean capped = bytes.length > maxTermSize;
        Reader reader = new Reader(bytes, 0, capped ? maxTermSize : bytes.length, capped ? Bound.CAPPED : Bound.END,
                shareBinaries);
        Term term = reader.versioned();
        if (reader.pos != bytes.length) {
            throw new TermDecodeException(reader.pos, -1,
                    (bytes.length - reader.pos) + " bytes follow the term; expected the end of the input");
        }
        return term;
    }

    /**
     * Decodes one term with its version byte from {@code buffer}'s position, and advances the
     * position past it. Offsets in errors count from the position at the call.
     *
     * <p>A heap buffer is read in place. The bytes of a direct or read-only buffer are copied into a
     * private array first; binaries then share that copy if this decoder shares binaries, and are
     * copied out of it otherwise.
     */
    public Term decode(ByteBuffer buffer) {
        // Only the term's own bytes count towards the size limit; the buffer may hold more after it.
        int available = buffer.remaining();
        boolean capped = available > maxTermSize;
        int length = capped ? maxTermSize : available;
        Bound bound = capped ? Bound.CAPPED : Bound.END;
        if (buffer.hasArray()) {
            int offset = buffer.arrayOffset() + buffer.position();
            Reader reader = new Reader(buffer.array(), offset, offset + length, bound, shareBinaries);
            Term term = reader.versioned();
            buffer.position(buffer.position() + (reader.pos - offset));
            return term;
        }
        // Copy a window of the bytes and widen it while the term goes on beyond it, so that the
        // copying costs about twice the term's size however many bytes follow it in the buffer.
        int window = Math.min(length, COPY_WINDOW);
        while (true) {
            byte[] copy = new byte[window];
            buffer.get(buffer.position(), copy);
            Reader reader = new Reader(copy, 0, window, window < length ? Bound.WINDOW : bound, shareBinaries);
            try {
                Term term = reader.versioned();
                buffer.position(buffer.position() + reader.pos);
                return term;
            } catch (WindowExceeded e) {
                window = (int) Math.min(length, 2L * window);
            }
        }
    }

    /** The first window copied from a direct or read-only buffer: enough for most messages. */
    private static final int COPY_WINDOW = 4096;

    /** What the limit of a {@link Reader} is. */
    private enum Bound {
        /** The end of the input: a term that needs more is cut short. */
        END,
        /** The size limit, before the end of the input: a term that needs more is too large. */
        CAPPED,
        /** The end of a window copied from a buffer that holds more: a term that needs more needs a wider window. */
        WINDOW
    }

    /** Thrown (without a stack trace) when a term goes on beyond a {@link Bound#WINDOW}. */
    private static final class WindowExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final WindowExceeded INSTANCE = new WindowExceeded();

        private WindowExceeded() {
            super(null, null, false, false);
        }
    }

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Larger tuples are read with a frame. */
    private static final int SMALL_TUPLE = 16;

    /**
     * Containers nested at most this deep are read without frames, by recursion; deeper ones take
     * frames, so that the thread's stack stays shallow whatever the input.
     */
    private static final int MAX_FLAT = 4;

    /** Reads terms from an array between a start and a limit. */
    private final class Reader {

        private static final Frame[] NO_FRAMES = new Frame[0];

        private final byte[] in;
        private final int start;
        private final int limit;
        private final Bound bound;
        /** Whether binaries may be views of {@link #in}. */
        private final boolean share;
        private int pos;
        /** The frames of the containers being filled, innermost on top; made at the first container. */
        private Frame[] frames = NO_FRAMES;
        private int depth;
        /** How many containers being read without a frame enclose the position: they count towards the depth. */
        private int flat;

        Reader(byte[] in, int start, int limit, Bound bound, boolean share) {
            this.in = in;
            this.start = start;
            this.limit = limit;
            this.bound = bound;
            this.share = share;
            this.pos = start;
        }

        Term versioned() {
            int version = u8(-1);
            if (version != Tags.VERSION) {
                throw error(pos - 1, -1, "expected the version byte 131 but was " + version);
            }
            if (pos < limit && (in[pos] & 0xFF) == Tags.COMPRESSED) {
                pos++;
                return compressed();
            }
            return term();
        }

        private Term compressed() {
            int at = pos - 1;
            long size = u32(Tags.COMPRESSED) & 0xFFFF_FFFFL;
            if (size > maxTermSize) {
                throw error(at, Tags.COMPRESSED, "inflated size of " + size + " bytes exceeds the limit of "
                        + maxTermSize);
            }
            byte[] inflated = new byte[(int) size];
            Inflater inflater = new Inflater();
            int consumed;
            try {
                inflater.setInput(in, pos, limit - pos);
                int produced = 0;
                while (produced < inflated.length && !inflater.finished()) {
                    int n = inflater.inflate(inflated, produced, inflated.length - produced);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    produced += n;
                }
                if (produced != inflated.length || !inflater.finished()) {
                    if (bound == Bound.WINDOW) {
                        throw WindowExceeded.INSTANCE;
                    }
                    throw error(at, Tags.COMPRESSED, "expected " + size
                            + " bytes of zlib data that ends there but " + (inflater.finished()
                            ? "it inflated to " + produced : "it inflated to more or was cut short"));
                }
                consumed = (limit - pos) - inflater.getRemaining();
            } catch (DataFormatException e) {
                if (bound == Bound.WINDOW) {
                    throw WindowExceeded.INSTANCE;
                }
                throw error(at, Tags.COMPRESSED, "malformed zlib data: " + e.getMessage(), e);
            } finally {
                inflater.end();
            }
            Reader inner = new Reader(inflated, 0, inflated.length, Bound.END, shareBinaries);
            Term term;
            try {
                term = inner.term();
            } catch (TermDecodeException e) {
                // Offsets promise positions in the input; the inner one is in the inflated bytes.
                throw error(at, Tags.COMPRESSED, "the inflated term is malformed: " + e.getMessage(), e);
            }
            if (inner.pos != inflated.length) {
                throw error(at, Tags.COMPRESSED, "inflated data holds " + (inflated.length - inner.pos)
                        + " bytes after the term");
            }
            pos += consumed;
            return term;
        }

        /**
         * Reads one term. Containers nested deeper than {@link #MAX_FLAT} are filled through an
         * explicit stack of frames rather than by recursion, so no nesting, however deep, can
         * overflow the thread's stack: depth is bounded only by {@link Builder#maxDepth}.
         */
        Term term() {
            int base = depth;
            while (true) {
                if (depth > base) {
                    frames[depth - 1].itemStart = pos;
                }
                Term value = next();
                while (value != null) {
                    if (depth == base) {
                        return value;
                    }
                    // A frame that completes pops itself and hands its term to the one below.
                    value = frames[depth - 1].add(value);
                }
            }
        }

        /**
         * Reads one term whole when it needs no frame: a scalar, or a container that holds no
         * containers nested deeper than {@link #MAX_FLAT}. Otherwise pushes frames for what is
         * open, innermost on top, and returns {@code null}.
         */
        private Term next() {
            int at = pos;
            int tag = u8(-1);
            switch (tag) {
                case Tags.SMALL_INTEGER_EXT:
                    return Int.of(u8(tag));
                case Tags.INTEGER_EXT:
                    return Int.of(u32(tag));
                case Tags.SMALL_ATOM_UTF8_EXT:
                    return atom(tag, u8(tag), true);
                case Tags.ATOM_UTF8_EXT:
                    return atom(tag, u16(tag), true);
                case Tags.ATOM_EXT:
                    return atom(tag, u16(tag), false);
                case Tags.SMALL_ATOM_EXT:
                    return atom(tag, u8(tag), false);
                case Tags.SMALL_TUPLE_EXT:
                    return openTuple(at, tag, u8(tag));
                case Tags.LARGE_TUPLE_EXT:
                    return openTuple(at, tag, u32(tag) & 0xFFFF_FFFFL);
                case Tags.NIL_EXT:
                    return ErlList.NIL;
                case Tags.STRING_EXT:
                    return string(tag, u16(tag));
                case Tags.LIST_EXT:
                    return openList(at);
                case Tags.BINARY_EXT:
                    return binaryBytes(tag, u32(tag) & 0xFFFF_FFFFL);
                case Tags.BIT_BINARY_EXT:
                    return bitBinary(at);
                case Tags.NEW_FLOAT_EXT:
                    return newFloat(at);
                case Tags.FLOAT_EXT:
                    return oldFloat(at);
                case Tags.SMALL_BIG_EXT:
                    return big(tag, u8(tag));
                case Tags.LARGE_BIG_EXT:
                    return big(tag, u32(tag) & 0xFFFF_FFFFL);
                case Tags.MAP_EXT:
                    return openMap(at);
                case Tags.NEW_PID_EXT:
                    return new Pid(nodeName(tag), u32(tag), u32(tag), u32(tag));
                case Tags.PID_EXT:
                    return new Pid(nodeName(tag), u32(tag), u32(tag), oldCreation(tag));
                case Tags.NEW_PORT_EXT:
                    return new Port(nodeName(tag), u32(tag) & 0xFFFF_FFFFL, u32(tag));
                case Tags.V4_PORT_EXT:
                    return new Port(nodeName(tag), u64(tag), u32(tag));
                case Tags.PORT_EXT:
                    return new Port(nodeName(tag), u32(tag) & 0xFFFF_FFFFL, oldCreation(tag));
                case Tags.NEWER_REFERENCE_EXT:
                case Tags.NEW_REFERENCE_EXT:
                    return reference(at, tag);
                case Tags.REFERENCE_EXT:
                    return oldReference(tag);
                case Tags.EXPORT_EXT:
                    return export(at);
                case Tags.NEW_FUN_EXT:
                    return openClosure(at);
                case Tags.COMPRESSED:
                    throw error(at, tag, "a compressed term may only stand right after the version byte");
                case Tags.ATOM_CACHE_REF:
                    throw error(at, tag, "atom cache references are only valid after a distribution header");
                case Tags.LOCAL_EXT:
                    throw error(at, tag, "LOCAL_EXT is only valid on the node that encoded it");
                case Tags.FUN_EXT:
                    throw error(at, tag, "old-style funs are not supported since OTP 23");
                default:
                    throw error(at, -1, "expected a term tag but was " + tag);
            }
        }

        private Atom atom(int tag, int length, boolean utf8) {
            need(tag, length, "atom text");
            int at = pos;
            pos += length;
            Atom cached = AtomCache.get(in, at, length);
            return cached != null ? cached : uncachedAtom(tag, at, length, utf8);
        }

        /** An atom that {@link AtomCache} does not keep: one with non-ASCII text, or a long one. */
        private Atom uncachedAtom(int tag, int at, int length, boolean utf8) {
            String name;
            if (utf8 && !isAscii(at, length)) {
                try {
                    name = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(in, at, length)).toString();
                } catch (CharacterCodingException e) {
                    throw error(at, tag, "atom text is not valid UTF-8");
                }
            } else {
                name = latin1(at, length);
            }
            if (name.length() > Atom.MAX_CHARACTERS && name.codePointCount(0, name.length()) > Atom.MAX_CHARACTERS) {
                throw error(at, tag, "atom of " + name.codePointCount(0, name.length())
                        + " characters exceeds the limit of " + Atom.MAX_CHARACTERS);
            }
            return Atom.of(name);
        }

        private boolean isAscii(int at, int length) {
            for (int i = at; i < at + length; i++) {
                if (in[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        private String latin1(int at, int length) {
            return new String(in, at, length, StandardCharsets.ISO_8859_1);
        }

        /** An atom, as the node of a pid, port or reference. */
        private Atom nodeName(int outerTag) {
            int at = pos;
            int tag = u8(outerTag);
            return switch (tag) {
                case Tags.SMALL_ATOM_UTF8_EXT -> atom(tag, u8(tag), true);
                case Tags.ATOM_UTF8_EXT -> atom(tag, u16(tag), true);
                case Tags.ATOM_EXT -> atom(tag, u16(tag), false);
                case Tags.SMALL_ATOM_EXT -> atom(tag, u8(tag), false);
                default -> throw error(at, outerTag, "expected an atom but was " + Tags.name(tag));
            };
        }

        private int oldCreation(int tag) {
            int creation = u8(tag);
            if (creation > 3) {
                throw error(pos - 1, tag, "expected a 2-bit creation but was " + creation);
            }
            return creation;
        }

        private Term openTuple(int at, int tag, long arity) {
            if (arity == 0) {
                return Tuple.EMPTY;
            }
            checkCount(at, tag, arity, 1, "tuple elements");
            checkDepth(at, tag);
            int n = (int) arity;
            if (n > SMALL_TUPLE || flat == MAX_FLAT) {
                push(new Frame(Frame.TUPLE, at, tag, n));
                return null;
            }
            // Most tuples in messages are small: read them without a frame.
            int base = depth;
            flat++;
            Term[] items = new Term[n];
            for (int i = 0; i < n; i++) {
                int itemAt = pos;
                Term item = next();
                if (item == null) {
                    flat--;
                    insert(base, new Frame(Frame.TUPLE, at, tag, n, items, i, itemAt));
                    return null;
                }
                items[i] = item;
            }
            flat--;
            return Tuple.ofOwned(items);
        }

        private ErlList string(int tag, int length) {
            need(tag, length, "string bytes");
            Term[] elements = new Term[length];
            for (int i = 0; i < length; i++) {
                elements[i] = Int.of(in[pos + i] & 0xFF);
            }
            pos += length;
            return length == 0 ? ErlList.NIL : ErlList.ofOwned(elements, null);
        }

        private Term openList(int at) {
            checkDepth(at, Tags.LIST_EXT);
            if (flat == MAX_FLAT) {
                Frame list = new Frame(Frame.LIST, at, Tags.LIST_EXT, 0);
                push(list);
                extendList(list, at);
                return list.expected == 0 ? endOfElements(list) : null;
            }
            long length = u32(Tags.LIST_EXT) & 0xFFFF_FFFFL;
            // Each element takes at least one byte, and so does the tail.
            checkCount(at, Tags.LIST_EXT, length + 1, 1, "list elements");
            int n = (int) length;
            int base = depth;
            flat++;
            // Room for the elements grows as they arrive: the length is only known to fit in the input.
            Term[] items = new Term[Math.min(n, 1024)];
            for (int i = 0; i < n; i++) {
                int itemAt = pos;
                Term item = next();
                if (item == null) {
                    flat--;
                    insert(base, new Frame(Frame.LIST, at, Tags.LIST_EXT, n, items, i, itemAt));
                    return null;
                }
                if (i == items.length) {
                    items = Arrays.copyOf(items, (int) Math.min(n, 2L * i));
                }
                items[i] = item;
            }
            flat--;
            if (pos < limit && in[pos] == Tags.NIL_EXT) {
                pos++;
                return n == 0 ? ErlList.NIL : ErlList.ofOwned(items, null);
            }
            // Any other tail, or none, the frame's way.
            Frame list = new Frame(Frame.LIST, at, Tags.LIST_EXT, n, items, n, pos);
            push(list);
            return endOfElements(list);
        }

        /** Reads a LIST_EXT length into {@code list}: a list tail joins the list it ends. */
        private void extendList(Frame list, int at) {
            long length = u32(Tags.LIST_EXT) & 0xFFFF_FFFFL;
            // Each element takes at least one byte, and so does the tail.
            checkCount(at, Tags.LIST_EXT, length + 1, 1, "list elements");
            if (list.count + length > Integer.MAX_VALUE - 8) {
                throw error(at, Tags.LIST_EXT, "list of " + (list.count + length) + " elements is too long");
            }
            list.expected = list.count + (int) length;
        }

        /**
         * Called when a list has all the elements its LIST_EXT announced: reads the tail. A tail
         * that is itself a list is joined in place, so long tail chains take linear time and no
         * stack. Returns the finished term, or {@code null} when more is to be read.
         */
        private Term endOfElements(Frame list) {
            while (true) {
                int tailAt = pos;
                int tailTag = peek(Tags.LIST_EXT);
                if (tailTag == Tags.NIL_EXT) {
                    pos++;
                    pop();
                    return list.finishList(null);
                } else if (tailTag == Tags.LIST_EXT) {
                    pos++;
                    extendList(list, tailAt);
                    if (list.expected > list.count) {
                        return null;
                    }
                } else if (tailTag == Tags.STRING_EXT) {
                    pos++;
                    for (Term c : string(tailTag, u16(tailTag)).array()) {
                        list.append(c);
                    }
                    pop();
                    return list.finishList(null);
                } else {
                    list.awaitingTail = true;
                    return null;
                }
            }
        }

        private Term openMap(int at) {
            long arity = u32(Tags.MAP_EXT) & 0xFFFF_FFFFL;
            if (arity == 0) {
                return ErlMap.EMPTY;
            }
            checkCount(at, Tags.MAP_EXT, arity, 2, "map entries");
            checkDepth(at, Tags.MAP_EXT);
            int n = (int) arity;
            ErlMap.Builder entries = new ErlMap.Builder(n);
            if (flat == MAX_FLAT) {
                push(new Frame(at, entries, 0, null, at));
                return null;
            }
            int base = depth;
            flat++;
            for (int i = 0; i < n; i++) {
                int keyAt = pos;
                Term key = next();
                if (key == null) {
                    flat--;
                    insert(base, new Frame(at, entries, 2 * i, null, keyAt));
                    return null;
                }
                int valueAt = pos;
                Term value = next();
                if (value == null) {
                    flat--;
                    Frame map = new Frame(at, entries, 2 * i + 1, key, valueAt);
                    map.keyStart = keyAt;
                    insert(base, map);
                    return null;
                }
                if (!entries.put(key, value)) {
                    throw repeatedKey(keyAt, key);
                }
            }
            flat--;
            return entries.build();
        }

        private TermDecodeException repeatedKey(int at, Term key) {
            return error(at, Tags.MAP_EXT, "repeated map key " + TermPrinter.abbreviated(key));
        }

        private Term openClosure(int at) {
            int tag = Tags.NEW_FUN_EXT;
            long size = u32(tag) & 0xFFFF_FFFFL;
            if (size < 4 + 1 + 16 + 4 + 4) {
                throw error(at, tag, "expected a fun of at least 29 bytes but its size was " + size);
            }
            need(tag, size - 4, "fun bytes");
            Frame fun = new Frame(Frame.CLOSURE, at, tag, 0);
            fun.fieldStarts = new int[3];
            fun.end = pos - 4 + (int) size;
            fun.arity = u8(tag);
            fun.uniq = Arrays.copyOfRange(in, pos, pos + 16);
            pos += 16;
            fun.index = u32(tag);
            long numFree = u32(tag) & 0xFFFF_FFFFL;
            fun.module = nodeName(tag);
            checkCount(at, tag, numFree, 1, "free variables");
            // Then OldIndex, OldUniq and the creator pid, and the free variables.
            fun.expected = 3 + (int) numFree;
            push(fun);
            return null;
        }

        private String typeOf(Term term) {
            return term.getClass().getSimpleName();
        }

        private void checkDepth(int at, int tag) {
            if (depth + flat >= maxDepth) {
                throw error(at, tag, "nesting deeper than the limit of " + maxDepth);
            }
        }

        private void push(Frame frame) {
            checkDepth(frame.at, frame.tag);
            insert(depth, frame);
        }

        /**
         * Puts {@code frame} at {@code index} of the stack, beneath the frames above it: a container
         * read without a frame takes one when an element of it needs frames.
         */
        private void insert(int index, Frame frame) {
            if (depth == frames.length) {
                frames = Arrays.copyOf(frames, Math.max(16, 2 * depth));
            }
            System.arraycopy(frames, index, frames, index + 1, depth - index);
            frames[index] = frame;
            depth++;
        }

        private void pop() {
            frames[--depth] = null;
        }

        /**
         * A container being filled: its kind, where it started, and the terms read so far, in a
         * buffer that doubles as it grows so that joined list tails cost linear time.
         */
        private final class Frame {
            static final int TUPLE = 0;
            static final int LIST = 1;
            static final int MAP = 2;
            static final int CLOSURE = 3;

            final int kind;
            final int at;
            final int tag;
            Term[] items;
            int count;
            int expected;
            boolean awaitingTail;
            /** Where the item being read for this frame started, for error offsets. */
            int itemStart;
            /** A map's entries so far, and where its current key started. */
            ErlMap.Builder entries;
            int keyStart;
            // NEW_FUN_EXT fields read before the nested terms.
            int end;
            int arity;
            byte[] uniq;
            int index;
            Atom module;
            /** Where a fun's OldIndex, OldUniq and pid fields started, for error offsets. */
            int[] fieldStarts;

            Frame(int kind, int at, int tag, int expected) {
                this(kind, at, tag, expected, new Term[Math.max(0, Math.min(expected, 1024))], 0, at);
            }

            /** A tuple or list that was being read without a frame, with its first {@code count} items. */
            Frame(int kind, int at, int tag, int expected, Term[] items, int count, int itemStart) {
                this.kind = kind;
                this.at = at;
                this.tag = tag;
                this.expected = expected;
                this.items = items;
                this.count = count;
                this.itemStart = itemStart;
            }

            /** A map with {@code count} keys and values read, {@code key} the last if the count is odd. */
            Frame(int at, ErlMap.Builder entries, int count, Term key, int itemStart) {
                this(MAP, at, Tags.MAP_EXT, 2 * entries.expected(), new Term[] {key}, count, itemStart);
                this.entries = entries;
            }

            void append(Term item) {
                if (count == items.length) {
                    items = Arrays.copyOf(items, Math.max(8, Math.min(Integer.MAX_VALUE - 8, 2 * items.length)));
                }
                items[count++] = item;
            }

            /** Adds a finished nested term; returns this container's term when it is complete. */
            Term add(Term item) {
                if (awaitingTail) {
                    pop();
                    return finishList(item);
                }
                if (kind == MAP) {
                    return addToMap(item);
                }
                if (kind == CLOSURE && count < fieldStarts.length) {
                    fieldStarts[count] = itemStart;
                }
                append(item);
                if (count < expected) {
                    return null;
                }
                switch (kind) {
                    case TUPLE:
                        pop();
                        return Tuple.ofOwned(items.length == count ? items : Arrays.copyOf(items, count));
                    case LIST:
                        // endOfElements pops the frame itself when the list is done.
                        return endOfElements(this);
                    default:
                        pop();
                        return finishClosure();
                }
            }

            Term finishList(Term tail) {
                if (count == 0) {
                    // [] followed by a tail is just the tail, as OTP decodes it.
                    return tail == null ? ErlList.NIL : tail;
                }
                return ErlList.ofOwned(items.length == count ? items : Arrays.copyOf(items, count), tail);
            }

            /** Keys and values alternate; each pair goes straight into the map, refusing repeated keys. */
            private Term addToMap(Term item) {
                if (count % 2 == 0) {
                    keyStart = itemStart;
                    items[0] = item;
                } else if (!entries.put(items[0], item)) {
                    throw repeatedKey(keyStart, items[0]);
                }
                if (++count < expected) {
                    return null;
                }
                pop();
                return entries.build();
            }

            private Term finishClosure() {
                if (!(items[0] instanceof Int oldIndex)) {
                    throw error(fieldStarts[0], tag, "expected the old index as an integer but was " + typeOf(items[0]));
                }
                if (!(items[1] instanceof Int oldUniq)) {
                    throw error(fieldStarts[1], tag, "expected the old uniq as an integer but was " + typeOf(items[1]));
                }
                if (!(items[2] instanceof Pid pid)) {
                    throw error(at, tag, "expected the creator pid but was " + typeOf(items[2]));
                }
                if (pos != end) {
                    throw error(at, tag, "fun declared " + (end - at - 1) + " bytes but its fields took "
                            + (pos - at - 1));
                }
                byte[] encoded = Arrays.copyOfRange(in, at + 1, end);
                return new Closure(module, arity, uniq, index, oldIndex.value(), oldUniq.value(), pid,
                        Arrays.copyOfRange(items, 3, count), encoded);
            }
        }

        /** The body of a binary of {@code length} bytes: shared with the input when allowed, else copied once. */
        private Binary binaryBytes(int tag, long length) {
            need(tag, length, "binary bytes");
            int n = (int) length;
            if (n == 0) {
                return Binary.EMPTY;
            }
            Binary binary = share ? Binary.wrap(in, pos, n) : Binary.wrap(Arrays.copyOfRange(in, pos, pos + n));
            pos += n;
            return binary;
        }

        private Term bitBinary(int at) {
            int tag = Tags.BIT_BINARY_EXT;
            long length = u32(tag) & 0xFFFF_FFFFL;
            int bits = u8(tag);
            if (length == 0 ? bits != 0 : bits < 1 || bits > 8) {
                throw error(at, tag, "expected " + (length == 0 ? "0 bits in the last byte of an empty bitstring"
                        : "1 to 8 bits in the last byte") + " but was " + bits);
            }
            if (length == 0 || bits == 8) {
                return binaryBytes(tag, length);
            }
            need(tag, length, "bitstring bytes");
            byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) length);
            pos += (int) length;
            return Bitstring.ofOwned(bytes, bits);
        }

        private ErlFloat newFloat(int at) {
            double value = Double.longBitsToDouble(u64(Tags.NEW_FLOAT_EXT));
            if (!Double.isFinite(value)) {
                throw error(at, Tags.NEW_FLOAT_EXT, "expected a finite float but was " + value);
            }
            return new ErlFloat(value);
        }

        private ErlFloat oldFloat(int at) {
            need(Tags.FLOAT_EXT, 31, "float text");
            int end = pos;
            while (end < pos + 31 && in[end] != 0) {
                end++;
            }
            String text = latin1(pos, end - pos);
            pos += 31;
            try {
                // As OTP reads it: digits, a fraction, an optional exponent, nothing around them, and
                // a value that neither overflows nor underflows to zero.
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value) || !FLOAT_TEXT.matcher(text).matches()
                        || (value == 0.0 && text.matches(".*[1-9].*[eE].*"))) {
                    throw new NumberFormatException(text);
                }
                return new ErlFloat(value);
            } catch (NumberFormatException e) {
                throw error(at, Tags.FLOAT_EXT, "expected a finite decimal float but was \"" + text + "\"");
            }
        }

        private Term big(int tag, long n) {
            int at = pos;
            int sign = u8(tag);
            if (sign > 1) {
                throw error(at, tag, "expected sign 0 or 1 but was " + sign);
            }
            need(tag, n, "integer digits");
            byte[] magnitude = new byte[(int) n];
            for (int i = 0; i < magnitude.length; i++) {
                magnitude[magnitude.length - 1 - i] = in[pos + i];
            }
            pos += (int) n;
            BigInteger value = new BigInteger(1, magnitude);
            return BigInt.of(sign == 1 ? value.negate() : value);
        }

        private Ref reference(int at, int tag) {
            int words = u16(tag);
            if (words < 1 || words > Ref.MAX_WORDS) {
                throw error(at, tag, "expected 1 to " + Ref.MAX_WORDS + " reference words but was " + words);
            }
            Atom node = nodeName(tag);
            int creation = tag == Tags.NEWER_REFERENCE_EXT ? u32(tag) : oldCreation(tag);
            int[] ids = new int[words];
            for (int i = 0; i < words; i++) {
                ids[i] = u32(tag);
            }
            if (tag == Tags.NEW_REFERENCE_EXT) {
                checkLegacyFirstWord(at, tag, ids[0]);
            }
            return Ref.of(node, creation, ids);
        }

        private Ref oldReference(int tag) {
            Atom node = nodeName(tag);
            int id = u32(tag);
            checkLegacyFirstWord(pos - 4, tag, id);
            return Ref.of(node, oldCreation(tag), id);
        }

        /** The legacy reference tags carry only 18 bits in their first word; OTP refuses more. */
        private void checkLegacyFirstWord(int at, int tag, int word) {
            if ((word & ~0x3FFFF) != 0) {
                throw error(at, tag, "expected an 18-bit first reference word but was "
                        + Integer.toUnsignedString(word));
            }
        }

        private ExportFun export(int at) {
            int tag = Tags.EXPORT_EXT;
            Atom module = nodeName(tag);
            Atom function = nodeName(tag);
            int arityTag = u8(tag);
            if (arityTag != Tags.SMALL_INTEGER_EXT) {
                throw error(pos - 1, tag, "expected the arity as SMALL_INTEGER_EXT but was " + Tags.name(arityTag));
            }
            return new ExportFun(module, function, u8(tag));
        }

        /** Checks that {@code count} items of at least {@code minBytes} each can fit in what remains. */
        private void checkCount(int at, int tag, long count, int minBytes, String what) {
            long remaining = limit - pos;
            if (count * minBytes > remaining) {
                if (bound == Bound.WINDOW) {
                    throw WindowExceeded.INSTANCE;
                }
                throw error(at, tag, count + " " + what + " cannot fit in the " + remaining + " bytes that remain");
            }
        }

        private void need(int tag, long n, String what) {
            if (n > limit - pos) {
                throw cutShort(tag, n, what);
            }
        }

        private RuntimeException cutShort(int tag, long n, String what) {
            return switch (bound) {
                case WINDOW -> WindowExceeded.INSTANCE;
                case CAPPED -> error(pos, tag, "term exceeds the size limit of " + maxTermSize + " bytes");
                case END -> error(pos, tag, "expected " + n + " bytes of " + what + " but only " + (limit - pos)
                        + " remain");
            };
        }

        private int peek(int tag) {
            need(tag, 1, "a tag");
            return in[pos] & 0xFF;
        }

        private int u8(int tag) {
            need(tag, 1, "a tag or field");
            return in[pos++] & 0xFF;
        }

        private int u16(int tag) {
            need(tag, 2, "a 16-bit field");
            int v = (short) U16.get(in, pos) & 0xFFFF;
            pos += 2;
            return v;
        }

        private int u32(int tag) {
            need(tag, 4, "a 32-bit field");
            int v = (int) U32.get(in, pos);
            pos += 4;
            return v;
        }

        private long u64(int tag) {
            need(tag, 8, "a 64-bit field");
            long v = (long) U64.get(in, pos);
            pos += 8;
            return v;
        }

        private TermDecodeException error(int at, int tag, String problem) {
            return new TermDecodeException(at - start, tag, problem);
        }

        private TermDecodeException error(int at, int tag, String problem, Throwable cause) {
            return new TermDecodeException(at - start, tag, problem, cause);
        }
    }

    /** Builds a {@link TermDecoder}. */
    public static final class Builder {

        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxTermSize = DEFAULT_MAX_TERM_SIZE;
        private boolean shareBinaries;

        private Builder() {
        }

        /**
         * The deepest nesting of tuples, lists, maps and funs accepted; default 1000, at most 10000.
         * Decoding needs no thread stack for nesting, but printing, comparing and encoding a term
         * recurse: terms more than about a thousand levels deep need threads with large stacks.
         */
        public Builder maxDepth(int maxDepth) {
            if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
                throw new IllegalArgumentException("expected a depth from 1 to " + MAX_DEPTH_LIMIT + " but was "
                        + maxDepth);
            }
            this.maxDepth = maxDepth;
            return this;
        }

        /** The largest term accepted in bytes, both as received and after inflating; default 64 MiB. */
        public Builder maxTermSize(int maxTermSize) {
            if (maxTermSize < 1) {
                throw new IllegalArgumentException("expected a positive size but was " + maxTermSize);
            }
            this.maxTermSize = maxTermSize;
            return this;
        }

        /**
         * Whether decoded binaries may share the input array instead of copying it (only for
         * writable heap buffers). The caller must then never change the input afterwards. Off by
         * default.
         */
        public Builder shareBinaries(boolean shareBinaries) {
            this.shareBinaries = shareBinaries;
            return this;
        }

        public TermDecoder build() {
            return new TermDecoder(this);
        }
    }
}
