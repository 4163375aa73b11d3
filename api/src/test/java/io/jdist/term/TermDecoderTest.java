package io.jdist.term;

import static io.jdist.term.TermTestSupport.assertRefused;
import static io.jdist.term.TermTestSupport.bytes;
import static io.jdist.term.TermTestSupport.decode;
import static io.jdist.term.TermTestSupport.hex;
import static io.jdist.term.TermTestSupport.repeat;
import static io.jdist.term.TermTestSupport.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder on byte vectors from OTP 25.2.3. Where Erlang was given hand-made input (legacy tags,
 * odd but legal layouts), the comments quote what {@code binary_to_term/1} returned and what
 * {@code term_to_binary/1} then wrote; the modern re-encoding must decode to the same term.
 */
class TermDecoderTest {

    private static final Atom A_HOST = new Atom("a@host");

    // ---------------------------------------------------------------- what OTP emits

    static Stream<Arguments> otpEncodings() {
        return Stream.of(
                Arguments.of("836400026F6B", Atom.OK),
                Arguments.of("8377026F6B", Atom.OK),
                Arguments.of("83640004636166E9", new Atom("café")),
                Arguments.of("837706E697A5E69CAC", new Atom("日本")),
                Arguments.of("837603FC" + repeat("F09F9880", 255), new Atom("😀".repeat(255))),
                Arguments.of("836100", Int.of(0)),
                Arguments.of("8361FF", Int.of(255)),
                Arguments.of("836200000100", Int.of(256)),
                Arguments.of("8362FFFFFFFF", Int.of(-1)),
                Arguments.of("836280000000", Int.of(Integer.MIN_VALUE)),
                Arguments.of("836E040000000080", Int.of(2147483648L)),
                Arguments.of("836E08010000000000000080", Int.of(Long.MIN_VALUE)),
                Arguments.of("836E0800FFFFFFFFFFFFFF7F", Int.of(Long.MAX_VALUE)),
                Arguments.of("836E08000000000000000080", BigInt.of(BigInteger.ONE.shiftLeft(63))),
                Arguments.of("836E08010100000000000080",
                        BigInt.of(BigInteger.ONE.shiftLeft(63).add(BigInteger.ONE).negate())),
                Arguments.of("836F0000010001" + repeat("00", 255) + "01",
                        BigInt.of(BigInteger.ONE.shiftLeft(2040).negate())),
                Arguments.of("83463FF8000000000000", ErlFloat.of(1.5)),
                Arguments.of("83467FEFFFFFFFFFFFFF", ErlFloat.of(Double.MAX_VALUE)),
                Arguments.of("836A", ErlList.NIL),
                Arguments.of("836B0003616263", ErlList.ofString("abc")),
                Arguments.of("836C0000000361016102620000012C6A", ErlList.of(1, 2, 300)),
                Arguments.of("836C00000002610161026103", ErlList.improper(List.of(Int.of(1), Int.of(2)), Int.of(3))),
                Arguments.of("836C000000026B000261626B0001636A",
                        ErlList.of(ErlList.ofString("ab"), ErlList.ofString("c"))),
                Arguments.of("836800", Tuple.EMPTY),
                Arguments.of("836900000100" + repeat("6100", 256), Tuple.of(Collections.nCopies(256, Int.of(0)))),
                Arguments.of("837400000000", ErlMap.EMPTY),
                Arguments.of("837400000002610164000161463FF000000000000064000162",
                        ErlMap.of(1, new Atom("a"), 1.0, new Atom("b"))),
                Arguments.of("836D00000000", Binary.EMPTY),
                Arguments.of("836D0000000568656C6C6F", Binary.of("hello")),
                Arguments.of("834D00000002030140", Bitstring.of(new byte[] {1, 0x40}, 3)),
                Arguments.of("83586400066140686F7374000000010000000200000003", new Pid(A_HOST, 1, 2, 3)),
                Arguments.of("83587708E697A540686F7374000000010000000200000003", new Pid(new Atom("日@host"), 1, 2, 3)),
                Arguments.of("83596400066140686F73740FFFFFFF00000003", new Port(A_HOST, (1L << 28) - 1, 3)),
                Arguments.of("83786400066140686F7374FFFFFFFFFFFFFFFFFFFFFFFF", new Port(A_HOST, -1L, -1)),
                Arguments.of("835A00056400066140686F7374000000030000000100000002000000030000000400000005",
                        Ref.of(A_HOST, 3, 1, 2, 3, 4, 5)),
                Arguments.of("83716400056C697374736400036D61706102",
                        new ExportFun(new Atom("lists"), new Atom("map"), 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otpEncodings")
    void decodesWhatOtpEncodes(String hex, Term expected) {
        assertEquals(expected, decode(hex));
    }

    @Test
    void smallTuplesReadWithoutAFrameMatchTheGeneralPathAndItsDepthLimit() {
        // Containers at every position of a small tuple make the reader hand over to a frame midway.
        Term mixed = Tuple.of(1, ErlList.of(2), Tuple.of(3, ErlMap.of(Atom.of("a"), 4)), Binary.of(new byte[] {5}),
                Tuple.of(), Tuple.of(Tuple.of(Tuple.of(Atom.OK))));
        assertEquals(mixed, TermDecoder.standard().decode(TermEncoder.standard().encode(mixed)));

        for (int arity : new int[] {1, 20}) {
            Object[] filler = new Object[arity - 1];
            java.util.Arrays.fill(filler, 7);
            Term inner = tupleOf(Atom.OK, filler);
            Term depth2 = tupleOf(inner, filler);
            Term depth3 = tupleOf(depth2, filler);
            TermDecoder shallow = TermDecoder.builder().maxDepth(2).build();
            assertEquals(depth2, shallow.decode(TermEncoder.standard().encode(depth2)), "arity " + arity);
            TermDecodeException e = assertThrows(TermDecodeException.class,
                    () -> shallow.decode(TermEncoder.standard().encode(depth3)), "arity " + arity);
            assertTrue(e.getMessage().contains("nesting deeper than the limit of 2"), e.getMessage());
        }
    }

    @Property(tries = 1000)
    void containersReadWithOrWithoutFramesAllCountTowardsTheDepth(@ForAll("nestings") List<Integer> kinds) {
        // Containers are read without frames four deep, and hand over to frames midway when an
        // element needs one (a wide tuple always does): every way, each container counts once.
        Term term = Atom.OK;
        for (int kind : kinds) {
            term = wrap(kind, term);
        }
        byte[] bytes = TermEncoder.standard().encode(term);
        int depth = kinds.size();
        assertEquals(term, TermDecoder.builder().maxDepth(depth).build().decode(bytes));
        if (depth > 1) {
            TermDecodeException e = assertThrows(TermDecodeException.class,
                    () -> TermDecoder.builder().maxDepth(depth - 1).build().decode(bytes));
            assertTrue(e.getMessage().contains("nesting deeper than the limit of " + (depth - 1)), e.getMessage());
        }
    }

    @Provide
    Arbitrary<List<Integer>> nestings() {
        return Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(12);
    }

    /** {@code inner} one container deeper, in one of six places. */
    private static Term wrap(int kind, Term inner) {
        return switch (kind) {
            case 0 -> Tuple.of(1, inner, Binary.of("b"));
            case 1 -> tupleOf(inner, Collections.nCopies(19, Atom.OK).toArray());
            case 2 -> ErlList.of(Atom.of("x"), inner);
            // As a list's tail, unless it is a list, which would join the one it ends.
            case 3 -> inner instanceof ErlList ? ErlList.of(inner) : ErlList.improper(List.of(Atom.of("x")), inner);
            case 4 -> ErlMap.of(Atom.of("k"), inner, Atom.of("z"), 2);
            default -> ErlMap.of(inner, 1, Atom.of("z"), 2);
        };
    }

    private static Term tupleOf(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return Tuple.of(all);
    }

    @Test
    void atomsDecodeToTheirOwnNamesWhateverTheAtomCacheHolds() {
        // More distinct atoms than the cache has slots, twice over, with every atom tag: a slot
        // taken by another atom, or by a longer or shorter name, must never answer for this one.
        TermEncoder latin1 = TermEncoder.standard();
        TermEncoder utf8 = TermEncoder.builder().minorVersion(2).build();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5000; i++) {
                Atom atom = Atom.of("a" + Integer.toString(i * 7919, 36) + (i % 3 == 0 ? "x".repeat(i % 70) : ""));
                assertEquals(atom, TermDecoder.standard().decode(latin1.encode(atom)), "round " + round);
                assertEquals(atom, TermDecoder.standard().decode(utf8.encode(atom)), "round " + round);
            }
        }
        Atom unicode = Atom.of("h\u00e9llo_\u4e16\u754c");
        assertEquals(unicode, TermDecoder.standard().decode(TermEncoder.standard().encode(unicode)));
    }

    @Test
    void atomsThatDifferOnlyInTheirMiddleOrInWhatFollowsThemStayApart() {
        // The cache tells names apart by their length and first and last eight bytes, read as longs
        // (reading a short name runs on into the bytes after it), and compares the rest of longer ones.
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_@";
        for (int length = 0; length <= AtomCache.MAX_LENGTH; length++) {
            char[] chars = alphabet.substring(0, length).toCharArray();
            Atom plain = new Atom(new String(chars));
            if (length > 0) {
                chars[length / 2] = '-';
            }
            Atom changed = new Atom(new String(chars));
            Term term = Tuple.of(plain, changed, plain, Atom.of("after_" + alphabet), changed, ErlList.of(changed));
            for (TermEncoder encoder : List.of(TermEncoder.standard(), TermEncoder.builder().minorVersion(2).build())) {
                assertEquals(term, TermDecoder.standard().decode(encoder.encode(term)), "length " + length);
                assertEquals(changed, TermDecoder.standard().decode(encoder.encode(changed)), "length " + length);
            }
        }
    }

    @Test
    void decodesAClosureWithItsFieldsAndFreeVariables() {
        // fun(X) -> X + Y end with Y = 42, made by <0.9.0> in module jdv.
        Term term = decode("8370000000490107DD07139065AF8A4142496F43A8AD2800000001000000016400036A6476610162003EE838"
                + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000612A");
        Closure closure = assertInstanceOf(Closure.class, term);
        assertEquals(new Atom("jdv"), closure.module());
        assertEquals(1, closure.arity());
        assertEquals(1, closure.index());
        assertEquals("07DD07139065AF8A4142496F43A8AD28", hex(closure.uniq()));
        assertEquals(new Pid(new Atom("nonode@nohost"), 9, 0, 0), closure.pid());
        assertEquals(List.of(Int.of(42)), closure.freeVariables());
        assertEquals("#Fun<jdv.1.4122680>", closure.toString());
    }

    // ---------------------------------------------------------------- legacy input tags

    @Test
    void decodesLegacyAtomExtAndSmallAtomExtAsLatin1() {
        // Erlang: all four are 'abc' / 'café' and re-encode as ATOM_EXT.
        assertEquals(new Atom("abc"), decode("83640003616263"));
        assertEquals(new Atom("abc"), decode("837303616263"));
        assertEquals(new Atom("café"), decode("83640004636166E9"));
        assertEquals(new Atom("café"), decode("837304636166E9"));
        assertEquals(decode("837705636166C3A9"), decode("837304636166E9"));
    }

    @Test
    void decodesLegacyPidExtWithTwoBitCreation() {
        // <<131,103, 'a@host', Id 1, Serial 2, Creation 3>>: Erlang re-encodes it as NEW_PID_EXT.
        Term legacy = decode("83676400066140686F7374000000010000000203");
        assertEquals(new Pid(A_HOST, 1, 2, 3), legacy);
        assertEquals(decode("83586400066140686F7374000000010000000200000003"), legacy);
        // With a SMALL_ATOM_EXT node and creation 0.
        assertEquals(new Pid(A_HOST, 1, 2, 0), decode("836773066140686F7374000000010000000200"));
    }

    @Test
    void decodesLegacyPortExtWithTwoBitCreation() {
        // Erlang: #Port<...7>, re-encoded 83596400066140686F73740000000700000002.
        assertEquals(new Port(A_HOST, 7, 2), decode("83666400066140686F73740000000702"));
        assertEquals(decode("83596400066140686F73740000000700000002"), decode("83666400066140686F73740000000702"));
    }

    @Test
    void decodesV4PortExtWithASmallIdAsTheSamePortAsNewPortExt() {
        // Erlang re-encodes <<120, 'a', Id 1, Creation 1>> as NEW_PORT_EXT 8359640001610000000100000001.
        assertEquals(decode("8359640001610000000100000001"), decode("8378770161000000000000000100000001"));
    }

    @Test
    void decodesLegacyReferenceExtAsAOneWordReference() {
        // Erlang: #Ref<...7>, re-encoded 835A00016400066140686F73740000000100000007.
        assertEquals(Ref.of(A_HOST, 1, 7), decode("83656400066140686F73740000000701"));
        assertEquals(decode("835A00016400066140686F73740000000100000007"), decode("83656400066140686F73740000000701"));
    }

    @Test
    void decodesLegacyNewReferenceExtWithItsOneByteCreation() {
        // Erlang: #Ref<...3.2.1>, re-encoded 835A0003...00000002 00000001 00000002 00000003.
        assertEquals(Ref.of(A_HOST, 2, 1, 2, 3), decode("837200036400066140686F737402000000010000000200000003"));
        assertEquals(decode("835A00036400066140686F737400000002000000010000000200000003"),
                decode("837200036400066140686F737402000000010000000200000003"));
    }

    @Test
    void decodesLegacyFloatExtText() {
        // term_to_binary(X, [{minor_version, 0}]) for 1.5, -1.23456e-8 and 0.0.
        assertEquals(ErlFloat.of(1.5), decode("8363312E3530303030303030303030303030303030303030652B30300000000000"));
        assertEquals(ErlFloat.of(Double.longBitsToDouble(0xBE4A8310BC7A31BFL)),
                decode("83632D312E3233343536303030303030303030303030353032652D303800000000"));
        assertEquals(ErlFloat.of(0.0), decode("8363302E3030303030303030303030303030303030303030652B30300000000000"));
    }

    @Test
    void decodesNonNormalisedIntegerEncodingsToTheSmallestType() {
        assertEquals(Int.of(5), decode("836200000005"));
        assertEquals(Int.of(-5), decode("836F000000010105"));
        assertEquals(Int.of(Integer.MAX_VALUE), decode("836E0400FFFFFF7F"));
        assertEquals(Int.of(5), decode("836E0200" + "0500"));
        assertEquals(Int.of(0), decode("836F0000000000"));
        assertEquals(Int.of(0), decode("836E0001"));
        assertEquals(Tuple.of(1, 2), decode("83690000000261016102"));
    }

    // ---------------------------------------------------------------- bitstrings

    @Test
    void decodesBitBinaryWithEightBitsInTheLastByteAsABinary() {
        // Erlang: <<1,2>>, re-encoded as BINARY_EXT.
        Term term = decode("834D00000002080102");
        assertInstanceOf(Binary.class, term);
        assertEquals(Binary.of(new byte[] {1, 2}), term);
    }

    @Test
    void decodesAnEmptyBitBinaryAsTheEmptyBinary() {
        assertSame(Binary.EMPTY, decode("834D0000000000"));
    }

    @Test
    void masksTheUnusedBitsOfTheLastByte() {
        // Erlang: <<1,2#111:3>> from <<77, Len 2, Bits 3, 1, 255>>, re-encoded with last byte E0.
        Bitstring bits = assertInstanceOf(Bitstring.class, decode("834D000000020301FF"));
        assertEquals("01E0", hex(bits.toByteArray()));
        assertEquals(11, bits.bitSize());
        assertEquals(decode("834D000000020301E0"), bits);
        assertEquals("834D000000020301E0", TermTestSupport.encode(bits));
    }

    @Test
    void refusesBitBinaryWithZeroBitsInANonEmptyLastByteOrMoreThanEight() {
        // Erlang refuses both <<77,0,0,0,1,0,255>> and <<77,0,0,0,0,8>>.
        assertRefused(hex("834D0000000100FF"), 1, Tags.BIT_BINARY_EXT, "1 to 8 bits in the last byte but was 0");
        assertRefused(hex("834D0000000109FF"), 1, Tags.BIT_BINARY_EXT, "but was 9");
        assertRefused(hex("834D0000000008"), 1, Tags.BIT_BINARY_EXT, "0 bits in the last byte of an empty bitstring");
    }

    // ---------------------------------------------------------------- lists

    @Test
    void joinsListTailsThatAreListsOrStrings() {
        // Erlang: [1,2,3], [1,2], [1,2|a] and [1|a] from these hand-made chains.
        assertEquals(ErlList.of(1, 2, 3), decode("836C0000000161016B00020203"));
        assertEquals(ErlList.of(1, 2), decode("836C0000000161016C0000000161026A"));
        assertEquals(ErlList.improper(List.of(Int.of(1), Int.of(2)), new Atom("a")),
                decode("836C0000000161016C00000001610264000161"));
        assertEquals(ErlList.improper(List.of(Int.of(1)), new Atom("a")), decode("836C0000000161016C0000000064000161"));
        assertEquals(decode("836B0003010203"), decode("836C0000000161016B00020203"));
    }

    @Test
    void decodesAnEmptyListExtEndingInNilAsNil() {
        assertSame(ErlList.NIL, decode("836C000000006A"));
        assertSame(ErlList.NIL, decode("836B0000"));
    }

    @Test
    void decodesAnEmptyListExtWithANonListTailAsTheTailItselfLikeErlang() {
        // binary_to_term(<<131,108,0,0,0,0,100,0,1,97>>) is the atom a in OTP 25: [] ++ a.
        assertEquals(new Atom("a"), decode("836C0000000064000161"));
        assertEquals(Tuple.of(new Atom("a")), decode("8368016C0000000064000161"));
    }

    @Test
    void decodesAMapWhateverTheOrderOfItsKeys() {
        // Erlang: #{1 => 2, 2 => 1} from keys written 2 then 1.
        assertEquals(ErlMap.of(1, 2, 2, 1), decode("8374000000026102610161016102"));
    }

    // ---------------------------------------------------------------- compressed terms

    @Test
    void decodesCompressedTermsFromErlangAtEveryLevel() {
        ErlList expected = ErlList.of(Collections.nCopies(1000, new Atom("a")));
        assertEquals(expected, decode("835000000FA6789CEDC3C10900200C04B02B4E2AF81207EF181DC34F0279C9EA93DAAAAAAAEADF"
                + "77007A34075F"));
        assertEquals(expected, decode("835000000FA67801EDD2B10D00200C04B18F9814890A3178C6C818342E6E81935FB2FAA4B63C"
                + "60800106186080010618608001061860E0AF813B7A34075F"));
        assertEquals(ErlList.ofString("x".repeat(200)), decode("8350000000CB789CCB663851314C0000C2B75EF4"));
        // zlib:compress(<<97,1>>) behind COMPRESSED: the integer 1.
        assertEquals(Int.of(1), decode("835000000002789C4B64040000C50063"));
    }

    @Test
    void refusesCompressedDataThatInflatesToMoreOrLessThanDeclared() {
        // Erlang refuses both (badarg).
        assertRefused(hex("835000000003789C4B64040000C50063"), 1, Tags.COMPRESSED, "expected 3 bytes");
        assertRefused(hex("835000000001789C4B64040000C50063"), 1, Tags.COMPRESSED, "expected 1 bytes");
    }

    @Test
    void refusesBytesAfterACompressedTerm() {
        // Erlang's binary_to_term/1 ignores them; jdist refuses trailing bytes everywhere.
        assertRefused(hex("835000000002789C4B64040000C50063010203"), 16, -1, "3 bytes follow the term");
    }

    // ---------------------------------------------------------------- whole input, ByteBuffer

    @Test
    void refusesTrailingBytesAfterTheTerm() {
        TermDecodeException e = assertRefused(hex("83610100"), 3, -1, "1 bytes follow the term; expected the end");
        assertEquals(-1, e.tag());
        assertRefused(hex("836A6A6A"), 2, -1, "2 bytes follow the term");
    }

    @Test
    void refusesAMissingOrWrongVersionByte() {
        assertRefused(new byte[0], 0, -1, "expected 1 bytes");
        assertRefused(hex("6100"), 0, -1, "expected the version byte 131 but was 97");
        assertRefused(hex("8200"), 0, -1, "expected the version byte 131 but was 130");
        assertRefused(hex("83"), 1, -1, "expected 1 bytes");
    }

    @Test
    void decodesFromABufferAdvancingItsPositionPastEachTerm() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("836101" + "836400026F6B" + "836A" + "FFFF"));
        assertEquals(Int.of(1), TermDecoder.standard().decode(buffer));
        assertEquals(3, buffer.position());
        assertEquals(Atom.OK, TermDecoder.standard().decode(buffer));
        assertEquals(9, buffer.position());
        assertEquals(ErlList.NIL, TermDecoder.standard().decode(buffer));
        assertEquals(11, buffer.position());
        assertEquals(2, buffer.remaining());
    }

    @Test
    void decodesFromALittleEndianBufferReadingFieldsBigEndian() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("836200000100" + "83460000000000000001" + "835A0001770161000000"
                + "0700000009")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Int.of(256), TermDecoder.standard().decode(buffer));
        assertEquals(ErlFloat.of(Double.MIN_VALUE), TermDecoder.standard().decode(buffer));
        assertEquals(Ref.of(new Atom("a"), 7, 9), TermDecoder.standard().decode(buffer));
        assertEquals(ByteOrder.LITTLE_ENDIAN, buffer.order());
        assertEquals(0, buffer.remaining());
    }

    @Test
    void decodesFromDirectAndReadOnlyBuffers() {
        byte[] bytes = hex("8368026D000000030102036200000100");
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 3);
        direct.put(new byte[] {7, 7, 7}).put(bytes).position(3);
        Term expected = Tuple.of(Binary.of(new byte[] {1, 2, 3}), 256);
        assertEquals(expected, TermDecoder.standard().decode(direct));
        assertEquals(3 + bytes.length, direct.position());
        ByteBuffer readOnly = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        assertEquals(expected, TermDecoder.builder().shareBinaries(true).build().decode(readOnly));
        assertEquals(bytes.length, readOnly.position());
    }

    @Test
    void decodesTermsLongerThanTheFirstCopiedWindowFromADirectBuffer() {
        // A direct buffer is copied a window at a time (first 4 KiB), widened while the term goes on.
        Term list = twentyThousandIntegers();
        byte[] plain = TermEncoder.standard().encode(list);
        byte[] compressed = TermEncoder.builder().compressed(6).build().encode(list);
        assertEquals(Tags.COMPRESSED, compressed[1]);
        assertTrue(compressed.length > 3 * 4096, "compressed data spans several windows: " + compressed.length);
        byte[] both = bytes(plain, compressed, "FFFF");
        for (TermDecoder decoder : List.of(TermDecoder.standard(), TermDecoder.builder().shareBinaries(true).build())) {
            ByteBuffer direct = direct(both);
            assertEquals(list, decoder.decode(direct));
            assertEquals(plain.length, direct.position());
            assertEquals(list, decoder.decode(direct));
            assertEquals(2, direct.remaining());
        }
    }

    @Test
    void refusesTermsFromADirectBufferAsFromAnArray() {
        // The window a direct buffer is copied in never shows: errors name the input's real end.
        TermDecoder limited = TermDecoder.builder().maxTermSize(9000).build();
        byte[] compressed = TermEncoder.builder().compressed(6).build().encode(twentyThousandIntegers());
        List<byte[]> inputs = List.of(
                bytes(131, Tags.BINARY_EXT, u32(10_000), new byte[9000]),
                bytes(131, Tags.LIST_EXT, u32(6000), repeat("6A", 5000)),
                bytes(131, Tags.LIST_EXT, u32(3000), repeat("6A", 2999), "FF6A"),
                Arrays.copyOf(compressed, compressed.length - 1));
        for (TermDecoder decoder : List.of(TermDecoder.standard(), limited)) {
            for (byte[] input : inputs) {
                TermDecodeException fromArray = assertThrows(TermDecodeException.class, () -> decoder.decode(input));
                TermDecodeException fromDirect = assertThrows(TermDecodeException.class,
                        () -> decoder.decode(direct(input)));
                assertEquals(fromArray.getMessage(), fromDirect.getMessage());
            }
        }
    }

    @Test
    void binariesFromADirectBufferNeverShareIt() {
        ByteBuffer direct = direct(hex("836D00000003010203"));
        Binary binary = (Binary) TermDecoder.builder().shareBinaries(true).build().decode(direct);
        direct.put(6, (byte) 9);
        assertEquals(1, binary.byteAt(0));
    }

    /** A list whose encoding, even compressed, is several times longer than 4 KiB. */
    private static ErlList twentyThousandIntegers() {
        Term[] values = new Term[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Int.of(i * 7919L);
        }
        return ErlList.of((Object[]) values);
    }

    /** A direct buffer holding {@code bytes} after 3 other bytes, positioned at them. */
    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(3 + bytes.length);
        direct.put(new byte[] {7, 7, 7}).put(bytes).position(3);
        return direct.slice();
    }

    @Test
    void countsErrorOffsetsFromThePositionAtTheCallAndLeavesThePositionOnError() {
        // A LIST_EXT claiming 5 elements with 3 bytes left, at offset 1 of the term (4 of the buffer).
        ByteBuffer buffer = ByteBuffer.wrap(hex("AAAAAA" + "836C00000005610161"));
        buffer.position(3);
        TermDecodeException e = assertThrows(TermDecodeException.class, () -> TermDecoder.standard().decode(buffer));
        assertEquals(1, e.offset(), e::getMessage);
        assertTrue(e.getMessage().contains("cannot fit in the 3 bytes that remain"), e::getMessage);
        assertEquals(Tags.LIST_EXT, e.tag(), e::getMessage);
        assertEquals(3, buffer.position());
    }

    @Test
    void doesNotCountBytesAfterTheTermTowardsTheSizeLimit() {
        TermDecoder small = TermDecoder.builder().maxTermSize(8).build();
        ByteBuffer buffer = ByteBuffer.wrap(hex("836200000100" + "00".repeat(100)));
        assertEquals(Int.of(256), small.decode(buffer));
        assertEquals(6, buffer.position());
    }

    // ---------------------------------------------------------------- sharing binaries

    @Test
    void sharesBinaryBytesWithTheInputArrayWhenAllowed() {
        byte[] input = hex("836D00000003010203");
        Binary binary = (Binary) TermDecoder.builder().shareBinaries(true).build().decode(input);
        assertEquals("010203", hex(binary.toByteArray()));
        input[6] = 9;
        assertEquals(9, binary.byteAt(0), "a shared binary is a view of the input");
    }

    @Test
    void sharesTheRightBytesOfAnOffsetHeapBuffer() {
        byte[] array = hex("FFFFFF" + "8368026D00000002AABB6D00000001CC" + "FFFF");
        ByteBuffer buffer = ByteBuffer.wrap(array, 3, 16).slice();
        Tuple tuple = (Tuple) TermDecoder.builder().shareBinaries(true).build().decode(buffer);
        assertEquals(Binary.of(hex("AABB")), tuple.get(0));
        assertEquals(Binary.of(hex("CC")), tuple.get(1));
        array[11] = 0x11;
        assertEquals(0x11, ((Binary) tuple.get(0)).byteAt(0));
    }

    @Test
    void copiesBinaryBytesByDefault() {
        byte[] input = hex("836D00000003010203");
        Binary binary = (Binary) TermDecoder.standard().decode(input);
        input[6] = 9;
        assertEquals(1, binary.byteAt(0));
    }

    @Test
    void copiesFromReadOnlyBuffersEvenWhenSharingIsAllowed() {
        byte[] input = hex("836D00000003010203");
        Binary binary = (Binary) TermDecoder.builder().shareBinaries(true).build()
                .decode(ByteBuffer.wrap(input).asReadOnlyBuffer());
        input[6] = 9;
        assertEquals(1, binary.byteAt(0));
    }

    @Test
    void copiesBitstringsEvenWhenSharingIsAllowed() {
        byte[] input = hex("834D000000020301E0");
        Bitstring bits = (Bitstring) TermDecoder.builder().shareBinaries(true).build().decode(input);
        input[7] = 9;
        assertEquals("01E0", hex(bits.toByteArray()));
    }

    @Test
    void decodesBinariesInsideCompressedTermsWhenSharing() {
        TermDecoder sharing = TermDecoder.builder().shareBinaries(true).build();
        Term term = Tuple.of(Binary.of("x".repeat(300)), Binary.of("y".repeat(300)));
        byte[] compressed = TermEncoder.builder().compressed(6).build().encode(term);
        assertEquals(Tags.COMPRESSED, compressed[1]);
        assertEquals(term, sharing.decode(compressed));
    }

    // ---------------------------------------------------------------- builder

    @Test
    void builderRefusesLimitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> TermDecoder.builder().maxDepth(0));
        assertThrows(IllegalArgumentException.class, () -> TermDecoder.builder().maxDepth(100_001));
        assertThrows(IllegalArgumentException.class, () -> TermDecoder.builder().maxTermSize(0));
    }

    @Test
    void toBuilderKeepsTheSettings() {
        TermDecoder custom = TermDecoder.builder().maxDepth(3).maxTermSize(100).shareBinaries(true).build();
        TermDecoder copy = custom.toBuilder().build();
        assertRefused(copy, hex("83680168016801680100"), 7, Tags.SMALL_TUPLE_EXT, "nesting deeper than the limit of 3");
        assertRefused(copy, hex("836D00000100" + "00".repeat(256)), 6, Tags.BINARY_EXT, "size limit of 100");
        byte[] input = hex("836D0000000101");
        Binary binary = (Binary) copy.decode(input);
        input[6] = 2;
        assertEquals(2, binary.byteAt(0));
        assertNotSame(custom, copy);
    }

    @Test
    void standardDecoderHasTheDocumentedDefaults() {
        assertEquals(1000, TermDecoder.DEFAULT_MAX_DEPTH);
        assertEquals(64 * 1024 * 1024, TermDecoder.DEFAULT_MAX_TERM_SIZE);
        assertSame(TermDecoder.standard(), TermDecoder.standard());
    }

    // ---------------------------------------------------------------- round trips

    @Property(tries = 1500)
    void decodingAnEncodedTermGivesItBack(@ForAll("terms") Term term) {
        assertEquals(term, TermDecoder.standard().decode(TermEncoder.standard().encode(term)));
        assertEquals(term, TermDecoder.standard().decode(
                TermEncoder.builder().minorVersion(2).build().encode(term)));
        assertEquals(term, TermDecoder.builder().shareBinaries(true).build().decode(
                TermEncoder.builder().compressed(1).build().encode(term)));
    }

    @Property(tries = 500)
    void reencodingADecodedTermGivesTheSameBytes(@ForAll("terms") Term term) {
        byte[] bytes = TermEncoder.standard().encode(term);
        assertArrayEquals(bytes, TermEncoder.standard().encode(TermDecoder.standard().decode(bytes)));
    }

    @Property(tries = 300)
    void decodesTermsOneAfterAnotherFromABuffer(@ForAll("terms") Term first, @ForAll("terms") Term second) {
        TermEncoder encoder = TermEncoder.standard();
        ByteBuffer buffer = ByteBuffer.allocate(encoder.encodedSize(first) + encoder.encodedSize(second));
        encoder.encode(first, buffer);
        encoder.encode(second, buffer);
        buffer.flip();
        assertEquals(first, TermDecoder.standard().decode(buffer));
        assertEquals(second, TermDecoder.standard().decode(buffer));
        assertTrue(!buffer.hasRemaining());
    }

    @Provide
    Arbitrary<Term> terms() {
        return TermArbitraries.terms();
    }
}
