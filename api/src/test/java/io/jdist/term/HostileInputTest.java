package io.jdist.term;

import static io.jdist.term.TermTestSupport.assertRefused;
import static io.jdist.term.TermTestSupport.bytes;
import static io.jdist.term.TermTestSupport.hex;
import static io.jdist.term.TermTestSupport.onThread;
import static io.jdist.term.TermTestSupport.repeat;
import static io.jdist.term.TermTestSupport.u16;
import static io.jdist.term.TermTestSupport.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input crafted to break the decoder: every failure must be a {@link TermDecodeException} naming
 * where and what, promptly and within bounded memory, never an {@link OutOfMemoryError}, a {@link
 * StackOverflowError} or any other exception.
 */
class HostileInputTest {

    private static final long KIB = 1024;
    private static final Duration QUICKLY = Duration.ofSeconds(20);

    // ---------------------------------------------------------------- truncation

    /** A term using every tag OTP emits, encoded by OTP 25 or by jdist (which matches it). */
    private static byte[] richTerm() {
        String closure = "8370000000490107DD07139065AF8A4142496F43A8AD2800000001000000016400036A6476610162003EE838"
                + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000612A";
        Atom aHost = new Atom("a@host");
        Term term = Tuple.of(
                Atom.OK, new Atom("café"), new Atom("日本"), new Atom("日".repeat(86)),
                0, 255, 256, -1, Long.MIN_VALUE, BigInteger.ONE.shiftLeft(2048).negate(),
                -0.0, Math.PI,
                ErlList.NIL, ErlList.ofString("abc"), ErlList.of(1, 300, new Atom("x")),
                ErlList.improper(List.of(Int.of(1)), new Atom("t")),
                Tuple.of(Collections.nCopies(256, Int.of(7))),
                ErlMap.of(1, new Atom("a"), 1.0, new Atom("b"), Tuple.of(2), ErlMap.EMPTY),
                Binary.of("binary"), Bitstring.of(new byte[] {1, 0x40}, 3),
                new Pid(aHost, 1, 2, 3), new Port(aHost, 7, 3), new Port(aHost, 1L << 40, 3),
                Ref.of(aHost, 3, 1, 2, 3, 4, 5), new ExportFun(new Atom("lists"), new Atom("map"), 2),
                TermTestSupport.decode(closure));
        return TermEncoder.standard().encode(term);
    }

    /** Legacy tags OTP 25 still decodes, inside one tuple. */
    private static byte[] legacyTerm() {
        return hex("8368" + "08"
                + "6400036162" + "63"                                   // ATOM_EXT abc
                + "7304636166E9"                                         // SMALL_ATOM_EXT café
                + "676400066140686F7374000000010000000203"               // PID_EXT
                + "666400066140686F73740000000702"                       // PORT_EXT
                + "656400066140686F73740000000701"                       // REFERENCE_EXT
                + "7200036400066140686F737402000000010000000200000003"   // NEW_REFERENCE_EXT
                + "63312E3530303030303030303030303030303030303030652B30300000000000" // FLOAT_EXT 1.5
                + "4D000000020301FF");                                    // BIT_BINARY_EXT
    }

    @Test
    void refusesTheRichTermCutAtEveryPossiblePoint() {
        assertRefusedAtEveryCut(richTerm());
    }

    @Test
    void refusesTheLegacyTermCutAtEveryPossiblePoint() {
        assertEquals(8, ((Tuple) TermDecoder.standard().decode(legacyTerm())).arity());
        assertRefusedAtEveryCut(legacyTerm());
    }

    @Test
    void refusesACompressedTermCutAtEveryPossiblePoint() {
        byte[] compressed = TermEncoder.builder().compressed(6).build().encode(
                TermDecoder.standard().decode(richTerm()));
        assertEquals(Tags.COMPRESSED, compressed[1]);
        assertRefusedAtEveryCut(compressed);
    }

    private static void assertRefusedAtEveryCut(byte[] whole) {
        TermDecoder.standard().decode(whole);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            TermDecodeException e = assertRefused(prefix);
            int at = cut;
            assertTrue(e.offset() >= 0 && e.offset() <= cut, () -> "cut at " + at + ": " + e.getMessage());
            // The same through a buffer whose limit is the cut.
            ByteBuffer buffer = ByteBuffer.wrap(whole, 0, cut);
            try {
                TermDecoder.standard().decode(buffer);
                throw new AssertionError("decoded a prefix of " + cut + " bytes from a buffer");
            } catch (TermDecodeException expected) {
                assertEquals(0, buffer.position());
            }
        }
    }

    // ---------------------------------------------------------------- lengths far beyond the input

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "LIST_EXT of 2^32-1 elements            | 836C FFFFFFFF 6A        | 1 | 108 | 4294967296 list elements cannot fit in the 1 bytes that remain",
        "LIST_EXT of 2^32-1 elements in a tail  | 836C00000001 6101 6C FFFFFFFF 6A | 8 | 108 | list elements cannot fit in the 1 bytes",
        "LARGE_TUPLE_EXT of 2^32-1 elements     | 8369 FFFFFFFF 6A        | 1 | 105 | 4294967295 tuple elements cannot fit in the 1 bytes",
        "SMALL_TUPLE_EXT of 255 elements        | 8368 FF 6A              | 1 | 104 | 255 tuple elements cannot fit in the 1 bytes",
        "MAP_EXT of 2^32-1 entries              | 8374 FFFFFFFF 6A6A      | 1 | 116 | 4294967295 map entries cannot fit in the 2 bytes",
        "BINARY_EXT of 2^32-1 bytes             | 836D FFFFFFFF 00        | 6 | 109 | expected 4294967295 bytes of binary bytes but only 1 remain",
        "BIT_BINARY_EXT of 2^32-1 bytes         | 834D FFFFFFFF 03 00     | 7 | 77  | expected 4294967295 bytes of bitstring bytes but only 1 remain",
        "LARGE_BIG_EXT of 2^32-1 digits         | 836F FFFFFFFF 00 00     | 7 | 111 | expected 4294967295 bytes of integer digits but only 1 remain",
        "SMALL_BIG_EXT of 255 digits            | 836E FF 00 00           | 4 | 110 | expected 255 bytes of integer digits but only 1 remain",
        "STRING_EXT of 65535 bytes              | 836B FFFF 61            | 4 | 107 | expected 65535 bytes of string bytes but only 1 remain",
        "ATOM_UTF8_EXT of 65535 bytes           | 8376 FFFF 61            | 4 | 118 | expected 65535 bytes of atom text but only 1 remain",
        "ATOM_EXT of 65535 bytes                | 8364 FFFF 61            | 4 | 100 | expected 65535 bytes of atom text but only 1 remain",
        "SMALL_ATOM_UTF8_EXT of 255 bytes       | 8377 FF 61              | 3 | 119 | expected 255 bytes of atom text but only 1 remain",
        "NEW_FUN_EXT of 2^32-1 bytes            | 8370 FFFFFFFF 00        | 6 | 112 | expected 4294967291 bytes of fun bytes but only 1 remain",
        "NEWER_REFERENCE_EXT of 65535 words     | 835A FFFF 770161 00000001 | 1 | 90 | expected 1 to 5 reference words but was 65535",
        "COMPRESSED claiming 4 GiB              | 8350 FFFFFFFF 789C4B64040000C50063 | 1 | 80 | inflated size of 4294967295 bytes exceeds the limit of 67108864",
    })
    void refusesLengthsBeyondTheInputBeforeAllocating(String what, String input, int offset, int tag, String message) {
        assertRefused(hex(input), offset, tag, message);
    }

    // ---------------------------------------------------------------- nesting depth

    private static byte[] nestedLists(int depth) {
        byte[] bytes = new byte[1 + 5 * depth + 1 + depth];
        bytes[0] = (byte) 131;
        for (int i = 0; i < depth; i++) {
            int at = 1 + 5 * i;
            bytes[at] = (byte) Tags.LIST_EXT;
            bytes[at + 4] = 1;
        }
        Arrays.fill(bytes, 1 + 5 * depth, bytes.length, (byte) Tags.NIL_EXT);
        return bytes;
    }

    private static byte[] nestedTuples(int depth) {
        byte[] bytes = new byte[1 + 2 * depth + 1];
        bytes[0] = (byte) 131;
        for (int i = 0; i < depth; i++) {
            bytes[1 + 2 * i] = (byte) Tags.SMALL_TUPLE_EXT;
            bytes[2 + 2 * i] = 1;
        }
        bytes[bytes.length - 1] = (byte) Tags.NIL_EXT;
        return bytes;
    }

    /** #{1 => #{1 => ... #{1 => []}}}. */
    private static byte[] nestedMaps(int depth) {
        byte[] bytes = new byte[1 + 7 * depth + 1];
        bytes[0] = (byte) 131;
        for (int i = 0; i < depth; i++) {
            int at = 1 + 7 * i;
            bytes[at] = (byte) Tags.MAP_EXT;
            bytes[at + 4] = 1;
            bytes[at + 5] = (byte) Tags.SMALL_INTEGER_EXT;
            bytes[at + 6] = 1;
        }
        bytes[bytes.length - 1] = (byte) Tags.NIL_EXT;
        return bytes;
    }

    /** Tuples, lists and maps in turn: {[#{1 => {[...]}}]}, with the lists' NIL tails at the end. */
    private static byte[] nestedMixed(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(131);
        List<Integer> openLists = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            switch (i % 3) {
                case 0 -> out.writeBytes(new byte[] {(byte) Tags.SMALL_TUPLE_EXT, 1});
                case 1 -> {
                    out.writeBytes(new byte[] {(byte) Tags.LIST_EXT, 0, 0, 0, 1});
                    openLists.add(i);
                }
                default -> out.writeBytes(new byte[] {(byte) Tags.MAP_EXT, 0, 0, 0, 1, (byte) Tags.SMALL_INTEGER_EXT, 1});
            }
        }
        out.write(Tags.NIL_EXT);
        for (int i = 0; i < openLists.size(); i++) {
            out.write(Tags.NIL_EXT);
        }
        return out.toByteArray();
    }

    /** A NEW_FUN_EXT whose one free variable is {@code inner}, with an honest size field. */
    private static byte[] funAround(byte[] inner) {
        byte[] fields = bytes(1, new byte[16], u32(0), u32(1),
                "77036A6476", "6100", "6100", "587701610000000100000002" + "00000003", inner);
        return bytes(Tags.NEW_FUN_EXT, u32(4L + fields.length), fields);
    }

    private static byte[] nestedFuns(int depth) {
        byte[] term = hex("6A");
        for (int i = 0; i < depth; i++) {
            term = funAround(term);
        }
        return bytes(131, term);
    }

    @Test
    void refusesAMillionNestedListsWithTheDepthErrorQuickly() throws Throwable {
        byte[] input = nestedLists(1_000_000);
        TermDecodeException e = onThread(0, QUICKLY, () -> assertRefused(input));
        assertEquals(1 + 5 * 1000, e.offset());
        assertEquals(Tags.LIST_EXT, e.tag());
        assertTrue(e.getMessage().contains("nesting deeper than the limit of 1000"), e.getMessage());
    }

    @Test
    void refusesAMillionNestedTuplesWithTheDepthErrorQuickly() throws Throwable {
        byte[] input = nestedTuples(1_000_000);
        TermDecodeException e = onThread(0, QUICKLY, () -> assertRefused(input));
        assertEquals(1 + 2 * 1000, e.offset());
        assertEquals(Tags.SMALL_TUPLE_EXT, e.tag());
        assertTrue(e.getMessage().contains("nesting deeper than the limit of 1000"), e.getMessage());
    }

    @Test
    void refusesAMillionNestedMapsWithTheDepthErrorQuickly() throws Throwable {
        byte[] input = nestedMaps(1_000_000);
        TermDecodeException e = onThread(0, QUICKLY, () -> assertRefused(input));
        assertEquals(1 + 7 * 1000, e.offset());
        assertEquals(Tags.MAP_EXT, e.tag());
    }

    @Test
    void refusesAMillionMixedNestingsWithTheDepthError() throws Throwable {
        byte[] input = nestedMixed(1_000_000);
        TermDecodeException e = onThread(0, QUICKLY, () -> assertRefused(input));
        assertTrue(e.getMessage().contains("nesting deeper than the limit of 1000"), e.getMessage());
    }

    @Test
    void countsFunsFreeVariablesTowardsTheDepth() throws Throwable {
        Term fine = onThread(0, QUICKLY, () -> TermDecoder.standard().decode(nestedFuns(1000)));
        assertInstanceOf(Closure.class, fine);
        TermDecodeException e = onThread(0, QUICKLY, () -> assertRefused(nestedFuns(1001)));
        int perLevel = nestedFuns(2).length - nestedFuns(1).length;
        assertEquals(1 + 1000 * perLevel, e.offset());
        assertEquals(Tags.NEW_FUN_EXT, e.tag());
        assertTrue(e.getMessage().contains("nesting deeper than the limit of 1000"), e.getMessage());
    }

    @Test
    void decodesEveryKindOfNesting1000DeepOnTheDefaultStack() throws Throwable {
        for (byte[] input : List.of(nestedLists(1000), nestedTuples(1000), nestedMaps(1000), nestedMixed(1000))) {
            assertInstanceOf(Term.class, onThread(0, QUICKLY, () -> TermDecoder.standard().decode(input)));
        }
    }

    @Test
    void refusesTheFirstNestingBeyondTheBuildersLimit() {
        TermDecoder shallow = TermDecoder.builder().maxDepth(5).build();
        assertEquals("[[[[[[]]]]]]", shallow.decode(nestedLists(5)).toString());
        assertRefused(shallow, nestedLists(6), 1 + 5 * 5, Tags.LIST_EXT, "nesting deeper than the limit of 5");
        assertRefused(shallow, nestedTuples(6), 1 + 2 * 5, Tags.SMALL_TUPLE_EXT, "limit of 5");
        assertRefused(shallow, nestedMaps(6), 1 + 7 * 5, Tags.MAP_EXT, "limit of 5");
        // An improper tail is inside its list: [1 | {{{{{[]}}}}}] is 6 deep.
        assertRefused(shallow, hex("836C00000001 6101" + repeat("6801", 5) + "6A"), 16, Tags.SMALL_TUPLE_EXT,
                "limit of 5");
        assertEquals(Tuple.of(Tuple.of(Tuple.of(Tuple.of(Tuple.of(ErlList.NIL))))), shallow.decode(nestedTuples(5)));
    }

    @Test
    void decodesAChainOfListTailsAsOneFlatList() throws Throwable {
        byte[] input = bytes(131, repeat("6C00000001 6101", 10_000), "6A");
        ErlList list = (ErlList) onThread(256 * KIB, QUICKLY, () -> TermDecoder.standard().decode(input));
        assertEquals(10_000, list.size());
        assertTrue(list.isProper());
    }

    @Test
    void decodesAMillionLongChainOfListTailsQuicklyOnASmallStack() throws Throwable {
        // [1 | [1 | [1 | ...]]] written as 1,000,000 LIST_EXTs of one element, each the tail of the
        // one before: 7 MB of input for a flat list of a million elements.
        byte[] input = bytes(131, repeat("6C00000001 6101", 1_000_000), "6A");
        ErlList list = (ErlList) onThread(256 * KIB, QUICKLY, () -> TermDecoder.standard().decode(input));
        assertEquals(1_000_000, list.size());
        assertTrue(list.isProper());
    }

    @Test
    void neverOverflowsTheStackAtTheLargestDepthTheBuilderAllows() throws Throwable {
        // A term as deep as the largest limit must decode or be refused, on a thread with the JVM's
        // default stack, not end in a StackOverflowError.
        TermDecoder deep = TermDecoder.builder().maxDepth(TermDecoder.MAX_DEPTH_LIMIT).build();
        byte[] input = nestedTuples(TermDecoder.MAX_DEPTH_LIMIT);
        Object outcome = onThread(0, QUICKLY, () -> {
            try {
                return deep.decode(input);
            } catch (TermDecodeException e) {
                return e;
            }
        });
        // The message names the outcome's type only: printing a term this deep recurses.
        assertTrue(outcome instanceof Term || outcome instanceof TermDecodeException,
                () -> outcome.getClass().getName());
    }

    /**
     * Each case runs in a fresh JVM, where the decoder's frames are still interpreted and largest, on
     * a thread of 512 KiB: depth 1000 (the default limit) must decode, and a million must be refused
     * with the depth error. Measured on OpenJDK 17 in cold JVMs: 1000 tuples need about 450 KiB and
     * always fit; 1000 maps need 496 to 528 KiB and overflow 512 KiB in about half the runs, so they are
     * left out here to keep the test deterministic; 1000 lists need 544 to 640 KiB, as each list level
     * takes three frames (term, list, listElements), and always overflow 512 KiB.
     */
    @ParameterizedTest(name = "{0} nested {1} deep -> {2}")
    @CsvSource({
        "tuples, 1000, ok",
        "lists, 1000, ok",
        "tuples, 1000000, TermDecodeException",
        "lists, 1000000, TermDecodeException",
    })
    void decodesToTheDefaultDepthOnA512KiBStackInAColdJvm(String kind, int depth, String expected)
            throws IOException, InterruptedException {
        String javaHome = System.getProperty("java.home");
        ProcessBuilder builder = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ColdProbe.class.getName(),
                kind, Integer.toString(depth), Long.toString(512 * KIB));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(expected, output.isEmpty() ? "(no output)" : output.lines().reduce((a, b) -> b).get(),
                    output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The child JVM's entry point for {@link #decodesToTheDefaultDepthOnA512KiBStackInAColdJvm}. */
    static final class ColdProbe {

        public static void main(String[] args) throws InterruptedException {
            int depth = Integer.parseInt(args[1]);
            byte[] input = switch (args[0]) {
                case "lists" -> nestedLists(depth);
                case "maps" -> nestedMaps(depth);
                case "mixed" -> nestedMixed(depth);
                default -> nestedTuples(depth);
            };
            String[] outcome = new String[1];
            Thread thread = new Thread(null, () -> {
                try {
                    TermDecoder.standard().decode(input);
                    outcome[0] = "ok";
                } catch (Throwable t) {
                    outcome[0] = t.getClass().getSimpleName();
                }
            }, "small-stack", Long.parseLong(args[2]));
            thread.start();
            thread.join();
            System.out.println(outcome[0]);
        }
    }

    // ---------------------------------------------------------------- compression bombs

    private static byte[] zlib(byte[] data, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** A zlib stream of {@code size} zero bytes, made without holding them all. */
    private static byte[] zlibOfZeros(long size) {
        Deflater deflater = new Deflater(9);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] zeros = new byte[1 << 20];
            byte[] chunk = new byte[64 * 1024];
            for (long left = size; left > 0; left -= zeros.length) {
                deflater.setInput(zeros, 0, (int) Math.min(left, zeros.length));
                while (!deflater.needsInput()) {
                    out.write(chunk, 0, deflater.deflate(chunk));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] compressed(long claimedSize, byte[] zlib) {
        return bytes(131, Tags.COMPRESSED, u32(claimedSize), zlib);
    }

    @Test
    void refusesACompressedTermClaimingFourGigabytes() {
        byte[] input = compressed(0xFFFF_FFFFL, zlibOfZeros(1 << 20));
        assertRefused(input, 1, Tags.COMPRESSED, "inflated size of 4294967295 bytes exceeds the limit of 67108864");
    }

    @Test
    void stopsInflatingAtTheClaimedSizeWhenTheStreamHoldsMuchMore() throws Throwable {
        // Claims 10 MiB; the stream inflates to 256 MiB of zeros (about 250 KiB compressed).
        byte[] input = compressed(10L << 20, zlibOfZeros(256L << 20));
        assertTrue(input.length < 512 << 10, "bomb of " + input.length + " bytes");
        onThread(0, QUICKLY, () -> assertRefused(input, 1, Tags.COMPRESSED,
                "expected 10485760 bytes of zlib data that ends there but it inflated to more or was cut short"));
    }

    @Test
    void refusesAStreamThatInflatesToLessThanClaimed() {
        byte[] input = compressed(10L << 20, zlib(new byte[1024], 6));
        assertRefused(input, 1, Tags.COMPRESSED, "but it inflated to 1024");
    }

    @Test
    void refusesMalformedOrIncompleteZlibData() {
        assertRefused(compressed(10, hex("FFFFFFFFFFFFFFFF")), 1, Tags.COMPRESSED, "malformed zlib data");
        byte[] body = Arrays.copyOfRange(richTerm(), 1, richTerm().length);
        assertEquals(TermDecoder.standard().decode(richTerm()),
                TermDecoder.standard().decode(compressed(body.length, zlib(body, 6))));
        byte[] stream = zlib(body, 6);
        byte[] cut = Arrays.copyOf(stream, stream.length / 2);
        assertRefused(compressed(body.length, cut), 1, Tags.COMPRESSED, "cut short");
        assertRefused(compressed(2, new byte[0]), 1, Tags.COMPRESSED, "expected 2 bytes");
        byte[] corrupted = zlib(body, 6);
        corrupted[corrupted.length - 1] ^= 1; // the Adler-32 checksum
        assertRefused(compressed(body.length, corrupted), 1, Tags.COMPRESSED, "malformed zlib data");
    }

    @Test
    void refusesAStreamThatNeedsAPresetDictionary() {
        Deflater deflater = new Deflater(6);
        deflater.setDictionary(new byte[] {97, 1});
        deflater.setInput(new byte[] {97, 1});
        deflater.finish();
        byte[] out = new byte[64];
        int n = deflater.deflate(out);
        deflater.end();
        assertRefused(compressed(2, Arrays.copyOf(out, n)), 1, Tags.COMPRESSED, "expected 2 bytes");
    }

    @Test
    void refusesCompressedDataHoldingMoreThanOneTerm() {
        // zlib:compress(<<97,1,97,2>>) declared as 4 bytes: OTP 25 returns 1 and ignores the rest.
        assertRefused(hex("835000000004789C4B644C640200024F00C6"), 1, Tags.COMPRESSED,
                "inflated data holds 2 bytes after the term");
    }

    @Test
    void refusesCompressedTermsAnywhereButRightAfterTheVersionByte() {
        // OTP 25 refuses <<131,104,1,80,...>> too.
        assertRefused(hex("8368015000000002789C4B64040000C50063"), 3, Tags.COMPRESSED,
                "a compressed term may only stand right after the version byte");
        byte[] inner = hex("5000000002789C4B64040000C50063");
        byte[] nested = compressed(inner.length, zlib(inner, 6));
        TermDecodeException e = assertRefused(nested);
        assertEquals(Tags.COMPRESSED, e.tag());
        assertTrue(e.getMessage().contains("may only stand right after the version byte"), e.getMessage());
    }

    @Test
    void reportsAProblemInsideCompressedDataAtAnOffsetOfTheInput() {
        // The inflated data is a list of 300 small integers and then a bad tag at inflated offset 605;
        // the input itself is about 30 bytes long. TermDecodeException.offset() promises an offset
        // "from the start of the input".
        byte[] inflated = bytes(Tags.LIST_EXT, u32(300), repeat("6101", 299), "FF", "6A");
        byte[] input = compressed(inflated.length, zlib(inflated, 9));
        TermDecodeException e = assertRefused(input);
        assertTrue(e.offset() >= 0 && e.offset() < input.length,
                "offset " + e.offset() + " lies outside the " + input.length + "-byte input: " + e.getMessage());
    }

    @Test
    void refusesInflatingBeyondTheBuildersSizeLimit() {
        TermDecoder small = TermDecoder.builder().maxTermSize(1000).build();
        byte[] body = TermEncoder.standard().encode(ErlList.of(Collections.nCopies(1000, Atom.OK)));
        byte[] input = compressed(body.length - 1, zlib(Arrays.copyOfRange(body, 1, body.length), 9));
        assertTrue(input.length < 1000);
        assertRefused(small, input, 1, Tags.COMPRESSED, "exceeds the limit of 1000");
    }

    // ---------------------------------------------------------------- atoms

    @Test
    void refusesAtomsOfMoreThan255Characters() {
        // 256 × é: 512 bytes of UTF-8; 256 × 😀: 1024 bytes. OTP 25 refuses both.
        assertRefused(bytes(131, Tags.ATOM_UTF8_EXT, u16(512), repeat("C3A9", 256)), 4, Tags.ATOM_UTF8_EXT,
                "atom of 256 characters exceeds the limit of 255");
        assertRefused(bytes(131, Tags.ATOM_UTF8_EXT, u16(1024), repeat("F09F9880", 256)), 4, Tags.ATOM_UTF8_EXT,
                "atom of 256 characters exceeds the limit of 255");
        assertRefused(bytes(131, Tags.ATOM_EXT, u16(256), repeat("61", 256)), 4, Tags.ATOM_EXT,
                "atom of 256 characters");
        assertRefused(bytes(131, Tags.ATOM_EXT, u16(256), repeat("E9", 256)), 4, Tags.ATOM_EXT,
                "atom of 256 characters");
    }

    @Test
    void acceptsAtomsOf255CharactersOfUpTo1020Bytes() {
        assertEquals(new Atom("😀".repeat(255)),
                TermDecoder.standard().decode(bytes(131, Tags.ATOM_UTF8_EXT, u16(1020), repeat("F09F9880", 255))));
        assertEquals(new Atom("é".repeat(255)),
                TermDecoder.standard().decode(bytes(131, Tags.ATOM_EXT, u16(255), repeat("E9", 255))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C328", "EDA080", "C080", "E08080", "F888808080", "80", "E697", "F4908080", "FF", "FE"})
    void refusesAtomTextThatIsNotUtf8(String text) {
        byte[] utf8 = hex(text);
        assertRefused(bytes(131, Tags.SMALL_ATOM_UTF8_EXT, utf8.length, utf8), 3, Tags.SMALL_ATOM_UTF8_EXT,
                "atom text is not valid UTF-8");
        assertRefused(bytes(131, Tags.ATOM_UTF8_EXT, u16(utf8.length), utf8), 4, Tags.ATOM_UTF8_EXT,
                "atom text is not valid UTF-8");
        // As the node of a pid.
        assertRefused(bytes(131, Tags.NEW_PID_EXT, Tags.SMALL_ATOM_UTF8_EXT, utf8.length, utf8, new byte[12]),
                4, Tags.SMALL_ATOM_UTF8_EXT, "not valid UTF-8");
    }

    @Test
    void refusesANodeThatIsNotAnAtom() {
        assertRefused(hex("8358 6101 000000010000000200000003"), 2, Tags.NEW_PID_EXT,
                "expected an atom but was SMALL_INTEGER_EXT (97)");
        assertRefused(hex("835A0001 6A 00000001 00000001"), 4, Tags.NEWER_REFERENCE_EXT, "expected an atom but was NIL_EXT");
    }

    // ---------------------------------------------------------------- floats

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"7FF8000000000000", "FFF8000000000000", "7FF0000000000001", "7FF0000000000000",
        "FFF0000000000000", "7FFFFFFFFFFFFFFF"})
    void refusesNewFloatExtNanAndInfinity(String bits) {
        assertRefused(hex("8346" + bits), 1, Tags.NEW_FLOAT_EXT, "expected a finite float but was");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"nan", "inf", "-inf", "1.0e999", "abc", "0x1p3", "1.5d", "1.5f", "", "1..5", "NaN",
        "Infinity"})
    void refusesFloatExtTextThatIsNotAFiniteDecimal(String text) {
        byte[] field = Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), 31);
        assertRefused(bytes(131, Tags.FLOAT_EXT, field), 1, Tags.FLOAT_EXT, "expected a finite decimal float");
    }

    @Test
    void refusesATruncatedFloatExt() {
        assertRefused(hex("8363312E35"), 2, Tags.FLOAT_EXT, "expected 31 bytes of float text but only 3 remain");
    }

    // ---------------------------------------------------------------- pids, ports, references

    @ParameterizedTest(name = "creation {0}")
    @ValueSource(ints = {4, 5, 255})
    void refusesLegacyTagsWithACreationBeyondTwoBits(int creation) {
        // OTP 25 refuses PID_EXT, PORT_EXT and NEW_REFERENCE_EXT with a creation above 3.
        assertRefused(bytes(131, "67 770161 00000001 00000002", creation), 13, Tags.PID_EXT,
                "expected a 2-bit creation but was " + creation);
        assertRefused(bytes(131, "66 770161 00000007", creation), 9, Tags.PORT_EXT, "2-bit creation");
        assertRefused(bytes(131, "65 770161 00000007", creation), 9, Tags.REFERENCE_EXT, "2-bit creation");
        assertRefused(bytes(131, "72 0001 770161", creation, "00000001"), 7, Tags.NEW_REFERENCE_EXT, "2-bit creation");
    }

    @ParameterizedTest(name = "{0} words")
    @ValueSource(ints = {0, 6, 7, 65535})
    void refusesReferencesWithoutOneToFiveWords(int words) {
        // OTP 25 accepts 0 words (#Ref<...>) and refuses 6; jdist's Ref holds 1 to 5.
        assertRefused(bytes(131, Tags.NEWER_REFERENCE_EXT, u16(words), "770161 00000001", new byte[4 * words]),
                1, Tags.NEWER_REFERENCE_EXT, "expected 1 to 5 reference words but was " + words);
        assertRefused(bytes(131, Tags.NEW_REFERENCE_EXT, u16(words), "770161 01", new byte[4 * words]),
                1, Tags.NEW_REFERENCE_EXT, "expected 1 to 5 reference words but was " + words);
    }

    // ---------------------------------------------------------------- maps

    @Test
    void refusesARepeatedMapKey() {
        // OTP 25 refuses <<131,116,0,0,0,2,97,1,97,2,97,1,97,3>>.
        assertRefused(hex("8374 00000002 6101 6102 6101 6103"), 10, Tags.MAP_EXT, "repeated map key 1");
        assertRefused(hex("8374 00000002 64000161 6101 64000161 6102"), 12, Tags.MAP_EXT, "repeated map key a");
    }

    @Test
    void refusesARepeatedMapKeyAtItsOffsetWhenTheMapTookAFrameMidway() {
        // A tuple of 20 elements always takes a frame, and so then does the map around it.
        String wide = "6814" + repeat("6101", 20);
        // #{a => 1, a => Wide}: the map takes its frame while the repeated key waits for its value.
        assertRefused(hex("8374 00000002 64000161 6101 64000161" + wide), 12, Tags.MAP_EXT, "repeated map key a");
        // #{Wide => 1, Wide => 2}: it takes its frame at the first key.
        assertRefused(hex("8374 00000002" + wide + "6101" + wide + "6102"), 6 + 42 + 2, Tags.MAP_EXT,
                "repeated map key {1,");
    }

    @Test
    void refusesKeysThatAreTheSameTermInDifferentEncodings() {
        // 0.0 and -0.0 (OTP 25 refuses it too), an atom as ATOM_EXT and as SMALL_ATOM_UTF8_EXT, a string as
        // STRING_EXT and as LIST_EXT, 5 as SMALL_INTEGER_EXT and as SMALL_BIG_EXT.
        assertRefused(hex("8374 00000002 460000000000000000 6101 468000000000000000 6102"), 17, Tags.MAP_EXT,
                "repeated map key");
        assertRefused(hex("8374 00000002 64000161 6101 770161 6102"), 12, Tags.MAP_EXT, "repeated map key a");
        assertRefused(hex("8374 00000002 6B00026162 6101 6C00000002 6161 6162 6A 6102"), 13, Tags.MAP_EXT,
                "repeated map key \"ab\"");
        assertRefused(hex("8374 00000002 6105 6101 6E0100 05 6102"), 10, Tags.MAP_EXT, "repeated map key 5");
    }

    @Test
    void refusesARepeatedHugeKeyWithoutPrintingItWhole() {
        // Two equal keys of 1 MB of 0xFF. Printed whole, the key takes 4 characters a byte, so a 60 MB
        // input of two 30 MB keys (within the default 64 MiB limit) needs 240 MB for the message alone
        // and ends in an OutOfMemoryError on a 256 MB heap.
        int n = 1 << 20;
        byte[] key = bytes(Tags.BINARY_EXT, u32(n), repeat("FF", n));
        byte[] input = bytes(131, Tags.MAP_EXT, u32(2), key, "6A", key, "6A");
        TermDecodeException e = assertRefused(input, 6 + key.length + 1, Tags.MAP_EXT, "repeated map key");
        assertTrue(e.getMessage().length() < 10_000,
                "a message of " + e.getMessage().length() + " characters for a " + input.length + "-byte input");
    }

    @Test
    void keepsIntegerAndFloatKeysOfTheSameValueApart() {
        ErlMap map = (ErlMap) TermDecoder.standard().decode(hex("8374 00000002 6101 6101 463FF0000000000000 6102"));
        assertEquals(2, map.size());
    }

    @Test
    void refusesARepeatedKeyAmongManyEntries() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(131, Tags.MAP_EXT, u32(41)));
        for (int i = 0; i < 40; i++) {
            out.writeBytes(bytes(Tags.SMALL_INTEGER_EXT, i, Tags.NIL_EXT));
        }
        int at = out.size();
        out.writeBytes(bytes(Tags.SMALL_INTEGER_EXT, 17, Tags.NIL_EXT));
        assertRefused(out.toByteArray(), at, Tags.MAP_EXT, "repeated map key 17");
    }

    // ---------------------------------------------------------------- funs

    @Test
    void refusesAnExportWhoseArityIsNotASmallInteger() {
        // OTP 25 happens to accept INTEGER_EXT here; jdist insists on SMALL_INTEGER_EXT as OTP writes it.
        assertRefused(hex("8371 77016D 770166 62 00000001"), 8, Tags.EXPORT_EXT,
                "expected the arity as SMALL_INTEGER_EXT but was INTEGER_EXT (98)");
        assertRefused(hex("8371 77016D 770166 770161"), 8, Tags.EXPORT_EXT, "but was SMALL_ATOM_UTF8_EXT (119)");
        assertRefused(hex("8371 6101 770166 6101"), 2, Tags.EXPORT_EXT, "expected an atom but was SMALL_INTEGER_EXT");
        assertRefused(hex("8371 77016D 770166 61"), 9, Tags.EXPORT_EXT, "expected 1 bytes");
    }

    private static final String CLOSURE0 = "8370000000470007DD07139065AF8A4142496F43A8AD2800000000000000006400036A64766100"
            + "62003EE8385864000D6E6F6E6F6465406E6F686F7374000000090000000000000000";

    private static byte[] closureWithSize(long size, String extra) {
        byte[] original = hex(CLOSURE0 + extra);
        System.arraycopy(u32(size), 0, original, 2, 4);
        return original;
    }

    @Test
    void refusesAFunWhoseSizeFieldLies() {
        assertEquals(71, hex(CLOSURE0).length - 2);
        assertRefused(closureWithSize(70, ""), 1, Tags.NEW_FUN_EXT, "fun declared 70 bytes but its fields took 71");
        assertRefused(closureWithSize(72, "6A"), 1, Tags.NEW_FUN_EXT, "fun declared 72 bytes but its fields took 71");
        assertRefused(closureWithSize(72, ""), 6, Tags.NEW_FUN_EXT, "expected 68 bytes of fun bytes but only 67 remain");
        assertRefused(closureWithSize(28, ""), 1, Tags.NEW_FUN_EXT, "expected a fun of at least 29 bytes but its size was 28");
        assertRefused(closureWithSize(0, ""), 1, Tags.NEW_FUN_EXT, "at least 29 bytes");
    }

    @Test
    void refusesAFunWithImpossibleFields() {
        byte[] uniq = new byte[16];
        String pid = "587701610000000100000002" + "00000003";
        // NumFree 2^32-1.
        byte[] manyFree = bytes(1, uniq, u32(0), u32(0xFFFF_FFFFL), "77036A6476", "6100", "6100", pid);
        assertRefused(bytes(131, Tags.NEW_FUN_EXT, u32(4L + manyFree.length), manyFree), 1, Tags.NEW_FUN_EXT,
                "4294967295 free variables cannot fit");
        // The creator is an atom, not a pid.
        byte[] atomPid = bytes(1, uniq, u32(0), u32(0), "77036A6476", "6100", "6100", "770161");
        assertRefused(bytes(131, Tags.NEW_FUN_EXT, u32(4L + atomPid.length), atomPid), 1, Tags.NEW_FUN_EXT,
                "expected the creator pid but was Atom");
        // The old index is an atom.
        byte[] atomIndex = bytes(1, uniq, u32(0), u32(0), "77036A6476", "770161", "6100", pid);
        assertRefused(bytes(131, Tags.NEW_FUN_EXT, u32(4L + atomIndex.length), atomIndex), 36, Tags.NEW_FUN_EXT,
                "expected the old index as an integer but was Atom");
        // The module is a tuple.
        byte[] tupleModule = bytes(1, uniq, u32(0), u32(0), "6800", "6100", "6100", pid);
        assertRefused(bytes(131, Tags.NEW_FUN_EXT, u32(4L + tupleModule.length), tupleModule), 31, Tags.NEW_FUN_EXT,
                "expected an atom but was SMALL_TUPLE_EXT");
    }

    // ---------------------------------------------------------------- tags that have no place here

    @Test
    void refusesAtomCacheReferencesLocalExtAndOldFuns() {
        assertRefused(hex("835200"), 1, Tags.ATOM_CACHE_REF,
                "atom cache references are only valid after a distribution header");
        assertRefused(hex("8379000000"), 1, Tags.LOCAL_EXT, "LOCAL_EXT is only valid on the node that encoded it");
        assertRefused(hex("837500000000"), 1, Tags.FUN_EXT, "old-style funs are not supported since OTP 23");
        assertRefused(hex("836802 6101 5200"), 5, Tags.ATOM_CACHE_REF, "atom cache references");
    }

    @Test
    void refusesEveryUnknownTag() throws IllegalAccessException {
        Set<Integer> known = new HashSet<>();
        for (Field field : Tags.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                field.setAccessible(true);
                known.add(field.getInt(null));
            }
        }
        known.remove(Tags.VERSION);
        int unknown = 0;
        for (int tag = 0; tag < 256; tag++) {
            if (!known.contains(tag)) {
                unknown++;
                assertRefused(bytes(131, tag, new byte[8]), 1, -1, "expected a term tag but was " + tag);
                assertRefused(bytes(131, Tags.SMALL_TUPLE_EXT, 1, tag, new byte[8]), 3, -1, "but was " + tag);
            }
        }
        assertEquals(256 - 32, unknown);
    }

    // ---------------------------------------------------------------- size limit

    @Test
    void refusesATermLargerThanTheBuildersSizeLimit() {
        TermDecoder small = TermDecoder.builder().maxTermSize(100).build();
        assertEquals(Binary.of(new byte[94]), small.decode(bytes(131, Tags.BINARY_EXT, u32(94), new byte[94])));
        assertRefused(small, bytes(131, Tags.BINARY_EXT, u32(95), new byte[95]), 6, Tags.BINARY_EXT,
                "term exceeds the size limit of 100 bytes");
        assertRefused(small, bytes(131, Tags.LIST_EXT, u32(200), repeat("6A", 200), "6A"), 1, Tags.LIST_EXT,
                "cannot fit");
        assertRefused(small, bytes(131, "68FF", repeat("6100", 255)), 1, Tags.SMALL_TUPLE_EXT, "cannot fit");
    }

    @Test
    void refusesAnOversizedTermFromAByteBufferToo() {
        TermDecoder small = TermDecoder.builder().maxTermSize(100).build();
        ByteBuffer buffer = ByteBuffer.wrap(bytes(new byte[7], 131, Tags.BINARY_EXT, u32(200), new byte[200]));
        buffer.position(7);
        TermDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(TermDecodeException.class,
                () -> small.decode(buffer));
        assertEquals(6, e.offset());
        assertTrue(e.getMessage().contains("size limit of 100"), e.getMessage());
        assertEquals(7, buffer.position());
    }

    // ---------------------------------------------------------------- fuzzing

    /** One change to an encoding. */
    record Mutation(int kind, double where, int value) {

        byte[] applyTo(byte[] input) {
            int at = input.length == 0 ? 0 : (int) (where * input.length) % Math.max(1, input.length);
            byte[] out;
            switch (kind) {
                case 0 -> { // flip a bit
                    out = input.clone();
                    if (out.length > 0) {
                        out[at] ^= (byte) (1 << (value & 7));
                    }
                }
                case 1 -> { // replace a byte
                    out = input.clone();
                    if (out.length > 0) {
                        out[at] = (byte) value;
                    }
                }
                case 2 -> { // insert a byte
                    out = new byte[input.length + 1];
                    System.arraycopy(input, 0, out, 0, at);
                    out[at] = (byte) value;
                    System.arraycopy(input, at, out, at + 1, input.length - at);
                }
                case 3 -> { // delete a byte
                    if (input.length == 0) {
                        return input;
                    }
                    out = new byte[input.length - 1];
                    System.arraycopy(input, 0, out, 0, at);
                    System.arraycopy(input, at + 1, out, at, input.length - at - 1);
                }
                case 4 -> { // overwrite what may be a length field with an extreme value
                    out = input.clone();
                    byte[][] extremes = {
                        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                        {(byte) 0x80, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, (byte) 0xFF, (byte) 0xFF},
                        {0, 1, 0, 0}, {(byte) 0xFF, (byte) 0xFF}, {0, 0}};
                    byte[] pattern = extremes[Math.floorMod(value, extremes.length)];
                    for (int i = 0; i < pattern.length && at + i < out.length; i++) {
                        out[at + i] = pattern[i];
                    }
                }
                case 5 -> out = Arrays.copyOf(input, at); // truncate
                default -> { // duplicate a slice
                    int length = Math.min(input.length - at, 1 + Math.floorMod(value, 16));
                    out = new byte[input.length + length];
                    System.arraycopy(input, 0, out, 0, at + length);
                    System.arraycopy(input, at, out, at + length, input.length - at);
                }
            }
            return out;
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(richTerm());
        seeds.add(legacyTerm());
        seeds.add(TermEncoder.builder().compressed(6).build().encode(TermDecoder.standard().decode(richTerm())));
        seeds.add(TermEncoder.builder().minorVersion(2).build().encode(TermDecoder.standard().decode(richTerm())));
        for (int i = 0; i < OtpComparisonTable.TERMS.size(); i++) {
            seeds.add(OtpComparisonTable.bytes(i));
        }
        seeds.add(hex(CLOSURE0));
        seeds.add(nestedMixed(30));
        return seeds;
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 255)).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(seeds()), mutation.list().ofMinSize(1).ofMaxSize(4))
                .as((seed, mutations) -> {
                    byte[] input = seed;
                    for (Mutation m : mutations) {
                        input = m.applyTo(input);
                    }
                    return input;
                });
    }

    private static final TermDecoder SHARING_SMALL = TermDecoder.builder().shareBinaries(true)
            .maxTermSize(4096).maxDepth(8).build();

    @Property(tries = 4000)
    void mutatedEncodingsDecodeOrAreRefusedWithTermDecodeException(@ForAll("mutants") byte[] input) {
        for (TermDecoder decoder : List.of(TermDecoder.standard(), SHARING_SMALL)) {
            try {
                decoder.decode(input);
            } catch (TermDecodeException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (Throwable t) {
                throw new AssertionError("input " + hex(input) + " threw " + t, t);
            }
            try {
                decoder.decode(ByteBuffer.wrap(input));
            } catch (TermDecodeException expected) {
                // fine
            } catch (Throwable t) {
                throw new AssertionError("input " + hex(input) + " threw " + t + " from a ByteBuffer", t);
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesAfterTheVersionDecodeOrAreRefusedWithTermDecodeException(
            @ForAll("randomInputs") byte[] input) {
        try {
            TermDecoder.standard().decode(input);
        } catch (TermDecodeException expected) {
            // fine
        } catch (Throwable t) {
            throw new AssertionError("input " + hex(input) + " threw " + t, t);
        }
    }

    @Provide
    Arbitrary<byte[]> randomInputs() {
        Arbitrary<Integer> tags = Arbitraries.of(70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105,
                106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121);
        return Combinators.combine(tags, Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((tag, rest) -> bytes(131, tag, rest));
    }
}
