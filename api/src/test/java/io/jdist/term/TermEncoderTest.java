package io.jdist.term;

import static io.jdist.term.TermTestSupport.decode;
import static io.jdist.term.TermTestSupport.encode;
import static io.jdist.term.TermTestSupport.hex;
import static io.jdist.term.TermTestSupport.repeat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder against OTP 25.2.3's {@code term_to_binary/1,2}. Every expected byte string below was
 * printed by Erlang ({@code binary:encode_hex(term_to_binary(T))}); long ones are written as
 * Erlang's header followed by the repeated unit, which was checked against Erlang's full output.
 */
class TermEncoderTest {

    private static final TermEncoder V2 = TermEncoder.builder().minorVersion(2).build();
    private static final Atom A_HOST = new Atom("a@host");

    // ---------------------------------------------------------------- atoms


    /** Terms that make the growing encoder grow many times, or give up on a large binary midway. */
    static Stream<Term> termsOfEverySize() {
        List<Term> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            items.add(Tuple.of(Atom.of("item_" + i), i * 1_000_003L, Binary.of("x".repeat(i % 40))));
        }
        byte[] large = new byte[4097];
        Arrays.fill(large, (byte) 7);
        return Stream.of(
                ErlList.of(items.toArray()),
                Tuple.of(ErlList.of(items.subList(0, 500).toArray()), Binary.of(large)),
                Tuple.of(Atom.of("caf\u00e9_\u4e16"), Bitstring.of(large, 3), ErlList.ofString("\u00e9t\u00e9".repeat(200))),
                ErlMap.of(Atom.of("big"), BigInt.of(BigInteger.TWO.pow(40_000)), Atom.of("small"), 1),
                Binary.of(new byte[4096]),
                Binary.of(new byte[300]));
    }

    @ParameterizedTest
    @MethodSource("termsOfEverySize")
    void growingAndExactlySizedEncodingsAreTheSameBytes(Term term) {
        for (TermEncoder encoder : List.of(TermEncoder.standard(), TermEncoder.builder().minorVersion(2).build())) {
            byte[] growing = encoder.encode(term);
            ByteBuffer exact = ByteBuffer.allocate(encoder.encodedSize(term));
            encoder.encode(term, exact);
            assertEquals(exact.capacity(), exact.position());
            assertArrayEquals(exact.array(), growing);
            assertEquals(term, TermDecoder.standard().decode(growing));
        }
    }

    @Test
    void encodingsThatGrowTheirBufferAtAnyElementGiveTheSameBytes() {
        // A fresh buffer starts at 256 bytes and doubles: lists of atoms, integers, binaries and
        // tuples of every length up to about 3 KiB cross each doubling at each kind of element.
        List<Term> kinds = List.of(Atom.of("an_atom_of_22_letters_"), Int.of(70_000), Int.of(-3), Binary.of("bin"),
                Tuple.of(Atom.OK, 1), Atom.of("a"));
        for (int n = 1; n <= 300; n++) {
            Object[] items = new Object[n];
            for (int i = 0; i < n; i++) {
                items[i] = kinds.get((i * 7 + n) % kinds.size());
            }
            Term list = ErlList.of(items);
            ByteBuffer exact = ByteBuffer.allocate(V2.encodedSize(list));
            V2.encode(list, exact);
            TermEncoder.emptyBufferPool();
            assertArrayEquals(exact.array(), V2.encode(list), "a list of " + n);
        }
    }

    @Test
    void threadsEncodingAtOnceNeverShareABuffer() throws Exception {
        // Encodings write into pooled buffers, one per slot picked by thread id: more threads than
        // slots take turns at them, and each must get its own bytes, whatever the others write.
        // Some grow their buffer beyond what the pool keeps, some restart sized for a large binary.
        List<Term> terms = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Object[] items = new Object[i % 10 == 9 ? 5000 : 1 + i * 37];
            Arrays.fill(items, Tuple.of(Atom.of("thread_" + i), i, Binary.of(new byte[i])));
            Term term = i % 10 == 8 ? Tuple.of(i, Binary.of(new byte[70_000 + i])) : ErlList.of(items);
            terms.add(term);
            expected.add(TermEncoder.standard().encode(term));
        }
        ExecutorService threads = Executors.newFixedThreadPool(terms.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < terms.size(); i++) {
                Term term = terms.get(i);
                byte[] bytes = expected.get(i);
                done.add(threads.submit(() -> {
                    start.await();
                    for (int round = 0; round < 300; round++) {
                        assertArrayEquals(bytes, TermEncoder.standard().encode(term));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : done) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void encodesLatin1AtomsAsAtomExtInMinorVersion1() {
        assertEquals("836400026F6B", encode(Atom.OK));
        assertEquals("83640000", encode(new Atom("")));
        assertEquals("83640004636166E9", encode(new Atom("café")));
        assertEquals("836400FF" + repeat("61", 255), encode(new Atom("a".repeat(255))));
        assertEquals("836400FF" + repeat("E9", 255), encode(new Atom("é".repeat(255))));
    }

    @Test
    void encodesOtherAtomsAsSmallAtomUtf8ExtUpTo255Bytes() {
        assertEquals("837706E697A5E69CAC", encode(new Atom("日本")));
        assertEquals("8377FF" + repeat("E697A5", 85), encode(new Atom("日".repeat(85))));
    }

    @Test
    void encodesAtomsOfMoreThan255Utf8BytesAsAtomUtf8Ext() {
        assertEquals("83760102" + repeat("E697A5", 86), encode(new Atom("日".repeat(86))));
        assertEquals("837603FC" + repeat("F09F9880", 255), encode(new Atom("😀".repeat(255))));
    }

    @Test
    void encodesEveryAtomAsUtf8InMinorVersion2() {
        assertEquals("8377026F6B", hex(V2.encode(Atom.OK)));
        assertEquals("837705636166C3A9", hex(V2.encode(new Atom("café"))));
        assertEquals("837706E697A5E69CAC", hex(V2.encode(new Atom("日本"))));
        assertEquals("837601FE" + repeat("C3A9", 255), hex(V2.encode(new Atom("é".repeat(255)))));
        assertEquals("83680377026F6B7705636166C3A9463FF8000000000000",
                hex(V2.encode(Tuple.of(Atom.OK, new Atom("café"), 1.5))));
    }

    /**
     * The encoder remembers the atom that began the last tuple; a list of records whose tags
     * change, repeat, share a name in two strings, or differ between minor versions must come out
     * as each record alone does.
     */
    @Test
    void aListOfRecordsEncodesAsItsRecordsDoAlone() {
        String sameNameOtherString = new String("item".toCharArray());
        List<Term> records = List.of(
                Tuple.of(Atom.of("item"), 1), Tuple.of(Atom.of("item"), 2), Tuple.of(new Atom("café"), 3),
                Tuple.of(new Atom(sameNameOtherString), 4), Tuple.of(Atom.of("item"), Tuple.of(Atom.of("inner"), 5)),
                Tuple.of(new Atom("日本"), 6), Tuple.of(Atom.of("item"), Atom.of("item")), Tuple.of(), Tuple.of(7));
        for (TermEncoder encoder : List.of(TermEncoder.standard(), V2)) {
            StringBuilder expected = new StringBuilder("836C" + String.format("%08X", records.size()));
            for (Term record : records) {
                expected.append(hex(encoder.encode(record)).substring(2));
            }
            expected.append("6A");
            assertEquals(expected.toString(), hex(encoder.encode(ErlList.of(records))));
            assertEquals(expected.toString(), hex(encoder.encode(ErlList.of(records))), "encoded again");
        }
    }

    @Test
    void encodesNodeNamesOfPidsWithTheSameAtomRules() {
        Pid latin1 = new Pid(new Atom("b@höst"), 1, 2, 3);
        Pid unicode = new Pid(new Atom("日@host"), 1, 2, 3);
        assertEquals("8358640006624068F67374000000010000000200000003", encode(latin1));
        assertEquals("83587707624068C3B67374000000010000000200000003", hex(V2.encode(latin1)));
        assertEquals("83587708E697A540686F7374000000010000000200000003", encode(unicode));
        assertEquals("83587708E697A540686F7374000000010000000200000003", hex(V2.encode(unicode)));
    }

    // ---------------------------------------------------------------- integers

    static Stream<Arguments> integersAtTagBoundaries() {
        return Stream.of(
                Arguments.of(0L, "836100"),
                Arguments.of(1L, "836101"),
                Arguments.of(255L, "8361FF"),
                Arguments.of(256L, "836200000100"),
                Arguments.of(-1L, "8362FFFFFFFF"),
                Arguments.of(-256L, "8362FFFFFF00"),
                Arguments.of(2147483647L, "83627FFFFFFF"),
                Arguments.of(-2147483648L, "836280000000"),
                Arguments.of(2147483648L, "836E040000000080"),
                Arguments.of(-2147483649L, "836E040101000080"),
                Arguments.of(4294967295L, "836E0400FFFFFFFF"),
                Arguments.of(4294967296L, "836E05000000000001"),
                Arguments.of(Long.MAX_VALUE, "836E0800FFFFFFFFFFFFFF7F"),
                Arguments.of(Long.MIN_VALUE, "836E08010000000000000080"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("integersAtTagBoundaries")
    void encodesIntegersWithTheSmallestTagLikeErlang(long value, String expected) {
        assertEquals(expected, encode(Int.of(value)));
        assertEquals(expected, encode(Term.of(value)));
    }

    @Test
    void encodesLongMinValueAsAnEightByteNegativeSmallBig() {
        // -2^63: sign 1, magnitude 2^63 little-endian; a naive Math.abs would overflow.
        assertEquals("836E08010000000000000080", encode(Int.of(Long.MIN_VALUE)));
    }

    @Test
    void encodesIntegersJustOutsideTheLongRangeAsEightAndNineByteBigs() {
        assertEquals("836E08000000000000000080", encode(BigInt.of(BigInteger.ONE.shiftLeft(63))));
        assertEquals("836E08010100000000000080",
                encode(BigInt.of(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE))));
        assertEquals("836E0800FFFFFFFFFFFFFFFF",
                encode(BigInt.of(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))));
        assertEquals("836E0900000000000000000001", encode(BigInt.of(BigInteger.ONE.shiftLeft(64))));
    }

    @Test
    void encodesBigIntegersAsSmallBigUpTo255BytesAndLargeBigFrom256() {
        BigInteger two2040 = BigInteger.ONE.shiftLeft(8 * 255);
        assertEquals("836EFF00" + repeat("FF", 255), encode(BigInt.of(two2040.subtract(BigInteger.ONE))));
        assertEquals("836EFF01" + repeat("FF", 255), encode(BigInt.of(two2040.subtract(BigInteger.ONE).negate())));
        assertEquals("836F0000010000" + repeat("00", 255) + "01", encode(BigInt.of(two2040)));
        assertEquals("836F0000010001" + repeat("00", 255) + "01", encode(BigInt.of(two2040.negate())));
    }

    // ---------------------------------------------------------------- floats

    @Test
    void encodesFloatsAsNewFloatExt() {
        assertEquals("83460000000000000000", encode(ErlFloat.of(0.0)));
        assertEquals("83463FF8000000000000", encode(ErlFloat.of(1.5)));
        assertEquals("8346BFF0000000000000", encode(ErlFloat.of(-1.0)));
        assertEquals("8346400921FB54442D18", encode(ErlFloat.of(Math.PI)));
        assertEquals("83467E37E43C8800759C", encode(ErlFloat.of(1.0e300)));
        assertEquals("83460000000000000001", encode(ErlFloat.of(Double.MIN_VALUE)));
        assertEquals("83467FEFFFFFFFFFFFFF", encode(ErlFloat.of(Double.MAX_VALUE)));
    }

    @Test
    void keepsTheSignOfNegativeZero() {
        assertEquals("83468000000000000000", encode(ErlFloat.of(-0.0)));
    }

    // ---------------------------------------------------------------- lists

    @Test
    void encodesTheEmptyListAsNilExt() {
        assertEquals("836A", encode(ErlList.NIL));
    }

    @Test
    void encodesProperListsOfByteIntegersAsStringExt() {
        assertEquals("836B0003616263", encode(ErlList.ofString("abc")));
        assertEquals("836B0003616263", encode(ErlList.of(97, 98, 99)));
        assertEquals("836C000000026B000261626B0001636A",
                encode(ErlList.of(ErlList.ofString("ab"), ErlList.ofString("c"))));
    }

    @Test
    void encodesA65535ByteListAsStringExtAndA65536ByteListAsListExt() {
        // Erlang: 65539 bytes starting 836BFFFF0707, and 131079 bytes 836C0001000061076107...61076A.
        assertEquals("836BFFFF" + repeat("07", 65535),
                encode(ErlList.of(Collections.nCopies(65535, 7))));
        assertEquals("836C00010000" + repeat("6107", 65536) + "6A",
                encode(ErlList.of(Collections.nCopies(65536, 7))));
    }

    @Test
    void encodesListsHoldingAnythingButBytesAsListExt() {
        assertEquals("836C0000000361016102620000012C6A", encode(ErlList.of(1, 2, 300)));
        assertEquals("836C0000000162000001006A", encode(ErlList.of(256)));
        assertEquals("836C0000000162FFFFFFFF6A", encode(ErlList.of(-1)));
        assertEquals("836C00000001640001616A", encode(ErlList.of(new Atom("a"))));
        assertEquals("836C00000001463FF00000000000006A", encode(ErlList.of(1.0)));
    }

    @Test
    void encodesImproperListsAsListExtWithTheirTail() {
        assertEquals("836C000000016400016164000162",
                encode(ErlList.improper(List.of(new Atom("a")), new Atom("b"))));
        // Byte elements do not make an improper list a STRING_EXT.
        assertEquals("836C00000002610161026103", encode(ErlList.improper(List.of(Int.of(1), Int.of(2)), Int.of(3))));
        assertEquals("836C0000000161016D00000000", encode(ErlList.improper(List.of(Int.of(1)), Binary.EMPTY)));
    }

    // ---------------------------------------------------------------- tuples

    @Test
    void encodesTuplesOfUpTo255ElementsAsSmallTupleExtAndLargerAsLargeTupleExt() {
        assertEquals("836800", encode(Tuple.EMPTY));
        assertEquals("836802640001616101", encode(Tuple.of(new Atom("a"), 1)));
        assertEquals("8368FF" + repeat("6100", 255), encode(Tuple.of(Collections.nCopies(255, Int.of(0)))));
        assertEquals("836900000100" + repeat("6100", 256), encode(Tuple.of(Collections.nCopies(256, Int.of(0)))));
    }

    // ---------------------------------------------------------------- maps

    @Test
    void encodesSmallMapsInErlangsMapKeyOrderWhateverTheInsertionOrder() {
        assertEquals("837400000000", encode(ErlMap.EMPTY));
        assertEquals("837400000002640001616101640001626102",
                encode(ErlMap.of(new Atom("b"), 2, new Atom("a"), 1)));
        assertEquals("837400000002640001616101640001626102",
                encode(ErlMap.of(new Atom("a"), 1, new Atom("b"), 2)));
    }

    @Test
    void encodesIntegerKeysBeforeFloatKeysEvenWhenTheFloatIsSmaller() {
        // #{1.0 => b, 1 => a} and #{1.0 => b, 2 => a}: integers first, then floats.
        assertEquals("837400000002610164000161463FF000000000000064000162",
                encode(ErlMap.of(1.0, new Atom("b"), 1, new Atom("a"))));
        assertEquals("837400000002610264000161463FF000000000000064000162",
                encode(ErlMap.of(1.0, new Atom("b"), 2, new Atom("a"))));
        // Inside keys too: #{{1.0} => a, {2} => b} puts {2} first.
        assertEquals("83740000000268016102640001626801463FF000000000000064000161",
                encode(ErlMap.of(Tuple.of(1.0), new Atom("a"), Tuple.of(2), new Atom("b"))));
    }

    @Test
    void encodesKeysOfEveryTypeInTermOrder() {
        // #{b => 1, a => 2, 1 => 3, "x" => 4, {1} => 5, <<"k">> => 6, [] => 7, 2.5 => 8, -1 => 9,
        //   {a, b} => 10, #{} => 11}
        Term map = ErlMap.of(new Atom("b"), 1, new Atom("a"), 2, 1, 3, ErlList.ofString("x"), 4,
                Tuple.of(1), 5, Binary.of("k"), 6, ErlList.NIL, 7, 2.5, 8, -1, 9,
                Tuple.of(new Atom("a"), new Atom("b")), 10, ErlMap.EMPTY, 11);
        assertEquals("83740000000B62FFFFFFFF610961016103464004000000000000610864000161610264000162610168016101"
                + "610568026400016164000162610A7400000000610B6A61076B00017861046D000000016B6106", encode(map));
    }

    @Test
    void encodesA32KeyMapSortedLikeOtp() {
        Map<Object, Object> atoms = new LinkedHashMap<>();
        Map<Object, Object> ints = new LinkedHashMap<>();
        for (int i = 32; i >= 1; i--) {
            atoms.put(new Atom("k" + i), i);
            ints.put(i * 7919 % 1000, i);
        }
        assertEquals("8374000000206400026B3161016400036B3130610A6400036B3131610B6400036B3132610C6400036B3133610D"
                + "6400036B3134610E6400036B3135610F6400036B313661106400036B313761116400036B313861126400036B3139"
                + "61136400026B3261026400036B323061146400036B323161156400036B323261166400036B323361176400036B3234"
                + "61186400036B323561196400036B3236611A6400036B3237611B6400036B3238611C6400036B3239611D6400026B33"
                + "61036400036B3330611E6400036B3331611F6400036B333261206400026B3461046400026B3561056400026B366106"
                + "6400026B3761076400026B3861086400026B396109", encode(ErlMap.of(atoms)));
        assertEquals("837400000020611C610C61386118616D610B6189611761BE610A61DA6116620000010F6109620000012B6115"
                + "62000001606108620000017C61146200000198612062000001B1610762000001CD611362000001E9611F620000020261"
                + "06620000021E6112620000023A611E62000002536105620000026F6111620000028B611D62000002A4610462000002C0"
                + "611062000002DC611C62000002F561036200000311610F620000032D611B620000034661026200000362610E62000003"
                + "7E611A6200000397610162000003B3610D62000003CF6119", encode(ErlMap.of(ints)));
    }

    @Test
    void encodesALargeMapInIterationOrderWithEveryEntry() {
        // OTP writes maps of more than 32 keys in its hash order, which jdist does not reproduce; the
        // entries must still all be there and decode to an equal map.
        Map<Object, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            entries.put(i, new Atom("v" + i));
        }
        ErlMap map = ErlMap.of(entries);
        byte[] bytes = TermEncoder.standard().encode(map);
        assertEquals("8374" + "00000064", hex(bytes).substring(0, 12));
        assertEquals(map, TermDecoder.standard().decode(bytes));
        assertEquals(bytes.length, TermEncoder.standard().encodedSize(map));
    }

    // ---------------------------------------------------------------- binaries

    @Test
    void encodesBinariesAsBinaryExt() {
        assertEquals("836D00000000", encode(Binary.EMPTY));
        assertEquals("836D00000003010203", encode(Binary.of(new byte[] {1, 2, 3})));
        assertEquals("836D0000000568656C6C6F", encode(Term.of("hello")));
    }

    @Test
    void encodesOnlyTheViewedPartOfAWrappedArray() {
        byte[] array = {9, 9, 1, 2, 3, 9};
        assertEquals("836D00000003010203", encode(Binary.wrap(array, 2, 3)));
    }

    @Test
    void encodesShortBinariesAndAtomsOfEveryLengthByteForByte() {
        // Up to 16 bytes are copied by overlapping moves, by length class: 0-3, 4-7, 8-16, more.
        byte[] array = new byte[64];
        for (int i = 0; i < array.length; i++) {
            array[i] = (byte) (i * 37 + 11);
        }
        for (int length = 0; length <= 24; length++) {
            for (int offset : new int[] {0, 1, 7, 64 - length}) {
                String bytes = hex(Arrays.copyOfRange(array, offset, offset + length));
                Term tuple = Tuple.of(Binary.wrap(array, offset, length), 1);
                assertEquals("8368026D" + String.format("%08X", length) + bytes + "6101", encode(tuple));
            }
            String name = "abcdefghijklmnopqrstuvwxyz".substring(0, length);
            assertEquals("83680277" + String.format("%02X", length)
                    + hex(name.getBytes(StandardCharsets.US_ASCII)) + "6101",
                    hex(V2.encode(Tuple.of(new Atom(name), 1))));
        }
    }

    @Test
    void encodesBitstringsAsBitBinaryExtWithUnusedBitsZero() {
        assertEquals("834D000000010320", encode(Bitstring.of(new byte[] {0x20}, 3)));
        assertEquals("834D000000010320", encode(Bitstring.of(new byte[] {0x3F}, 3)));
        assertEquals("834D00000002030140", encode(Bitstring.of(new byte[] {1, 0x40}, 3)));
        assertEquals("834D0000000107FE", encode(Bitstring.of(new byte[] {(byte) 0xFE}, 7)));
        assertEquals("834D000000010180", encode(Bitstring.of(new byte[] {(byte) 0x80}, 1)));
    }

    // ---------------------------------------------------------------- pids, ports, references, funs

    @Test
    void encodesPidsAsNewPidExt() {
        assertEquals("83586400066140686F7374000000010000000200000003", encode(new Pid(A_HOST, 1, 2, 3)));
        assertEquals("83586400066140686F7374FFFFFFFFFFFFFFFFFFFFFFFF", encode(new Pid(A_HOST, -1, -1, -1)));
        assertEquals("835864000D6E6F6E6F6465406E6F686F7374000000090000000000000000",
                encode(new Pid(new Atom("nonode@nohost"), 9, 0, 0)));
    }

    @Test
    void encodesPortsUpTo28BitsAsNewPortExtAndLargerAsV4PortExt() {
        assertEquals("83596400066140686F73740FFFFFFF00000003", encode(new Port(A_HOST, (1L << 28) - 1, 3)));
        assertEquals("83786400066140686F7374000000001000000000000003", encode(new Port(A_HOST, 1L << 28, 3)));
        assertEquals("83786400066140686F7374FFFFFFFFFFFFFFFFFFFFFFFF", encode(new Port(A_HOST, -1L, -1)));
    }

    @Test
    void encodesReferencesAsNewerReferenceExtKeepingTheirWordCount() {
        assertEquals("835A00036400066140686F737400000003000000010000000200000003",
                encode(Ref.of(A_HOST, 3, 1, 2, 3)));
        assertEquals("835A00056400066140686F7374000000030000000100000002000000030000000400000005",
                encode(Ref.of(A_HOST, 3, 1, 2, 3, 4, 5)));
    }

    @Test
    void encodesExportFunsAsExportExtWithASmallIntegerArity() {
        assertEquals("83716400056C697374736400036D61706102",
                encode(new ExportFun(new Atom("lists"), new Atom("map"), 2)));
        assertEquals("837164000665726C616E676400012B6102",
                encode(new ExportFun(new Atom("erlang"), new Atom("+"), 2)));
    }

    @Test
    void encodesADecodedClosureByteForByte() {
        // fun() -> ok end and fun(X) -> X + Y end with Y = 42, from a compiled module jdv.
        String closure0 = "8370000000470007DD07139065AF8A4142496F43A8AD2800000000000000006400036A6476610062003EE838"
                + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000";
        String closure1 = "8370000000490107DD07139065AF8A4142496F43A8AD2800000001000000016400036A6476610162003EE838"
                + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000612A";
        assertEquals(closure0, encode(decode(closure0)));
        assertEquals(closure1, encode(decode(closure1)));
        assertEquals(closure1, encode(Tuple.of(decode(closure1))).replaceFirst("^836801", "83"));
    }

    @Test
    void encodesANestedTermLikeErlang() {
        // {ok, [1, <<"a">>, #{k => [x | y]}], {[], 2.5}, -5}
        Term term = Tuple.of(Atom.OK,
                ErlList.of(1, Binary.of("a"), ErlMap.of(new Atom("k"),
                        ErlList.improper(List.of(new Atom("x")), new Atom("y")))),
                Tuple.of(ErlList.NIL, 2.5), -5);
        assertEquals("8368046400026F6B6C0000000361016D000000016174000000016400016B6C0000000164000178640001796A"
                + "68026A46400400000000000062FFFFFFFB", encode(term));
    }

    // ---------------------------------------------------------------- compression

    private static final ErlList THOUSAND_AS = ErlList.of(Collections.nCopies(1000, new Atom("a")));

    @Test
    void compressesLikeErlangAtTheDefaultLevel() {
        // term_to_binary(lists:duplicate(1000, a), [compressed]) uses zlib level 6.
        assertEquals("835000000FA6789CEDC3C10900200C04B02B4E2AF81207EF181DC34F0279C9EA93DAAAAAAAEADF77007A34075F",
                hex(TermEncoder.builder().compressed(6).build().encode(THOUSAND_AS)));
        assertEquals("8350000000CB789CCB663851314C0000C2B75EF4",
                hex(TermEncoder.builder().compressed(6).build().encode(ErlList.ofString("x".repeat(200)))));
    }

    @Test
    void compressesAtTheRequestedLevel() {
        assertEquals("835000000FA67801EDD2B10D00200C04B18F9814890A3178C6C818342E6E81935FB2FAA4B63C608001061860"
                + "80010618608001061860E0AF813B7A34075F",
                hex(TermEncoder.builder().compressed(1).build().encode(THOUSAND_AS)));
        assertEquals("835000000FA678DAEDC3C10900200C04B02B4E2AF81207EF181DC34F0279C9EA93DAAAAAAAEADF77007A34075F",
                hex(TermEncoder.builder().compressed(9).build().encode(THOUSAND_AS)));
    }

    @Test
    void writesTheUncompressedFormWhenCompressingDoesNotMakeItSmaller() {
        TermEncoder compressing = TermEncoder.builder().compressed(9).build();
        assertEquals("836400026F6B", hex(compressing.encode(Atom.OK)));
        assertEquals("836D00000000", hex(compressing.encode(Binary.EMPTY)));
        assertEquals("836D0000000A9E3F11C2075AE8B4216D",
                hex(compressing.encode(Binary.wrap(hex("9E3F11C2075AE8B4216D")))));
    }

    @Test
    void compressedEncodingsDecodeBackToTheTerm() {
        TermEncoder compressing = TermEncoder.builder().compressed(6).build();
        byte[] bytes = compressing.encode(THOUSAND_AS);
        assertEquals(THOUSAND_AS, TermDecoder.standard().decode(bytes));
        assertTrue(bytes.length < TermEncoder.standard().encodedSize(THOUSAND_AS));
    }

    @Test
    void levelZeroMeansNoCompression() {
        assertEquals(encode(THOUSAND_AS), hex(TermEncoder.builder().compressed(0).build().encode(THOUSAND_AS)));
    }

    // ---------------------------------------------------------------- ByteBuffer target, sizes, builder

    @Test
    void encodesIntoAHeapBufferAtItsPositionAndAdvancesIt() {
        ByteBuffer target = ByteBuffer.allocate(32);
        target.put((byte) 0x55);
        TermEncoder.standard().encode(Tuple.of(new Atom("a"), 1), target);
        assertEquals(1 + 9, target.position());
        assertEquals("55836802640001616101", hex(Arrays.copyOf(target.array(), 10)));
    }

    @Test
    void encodesIntoASlicedHeapBufferAtTheRightPlaceOfItsArray() {
        byte[] array = new byte[20];
        ByteBuffer target = ByteBuffer.wrap(array, 4, 16).slice();
        target.position(2);
        TermEncoder.standard().encode(Int.of(256), target);
        assertEquals(8, target.position());
        assertEquals("000000000000836200000100", hex(Arrays.copyOf(array, 12)));
    }

    @Test
    void encodesIntoDirectAndLittleEndianBuffersInBigEndianOrder() {
        ByteBuffer direct = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);
        TermEncoder.standard().encode(Int.of(256), direct);
        assertEquals(6, direct.position());
        byte[] written = new byte[6];
        direct.flip().get(written);
        assertEquals("836200000100", hex(written));
    }

    @Test
    void encodesCompressedIntoABuffer() {
        TermEncoder compressing = TermEncoder.builder().compressed(6).build();
        ByteBuffer target = ByteBuffer.allocate(100);
        compressing.encode(THOUSAND_AS, target);
        byte[] written = Arrays.copyOf(target.array(), target.position());
        assertArrayEquals(compressing.encode(THOUSAND_AS), written);
    }

    @Test
    void refusesABufferTooSmallWithoutMovingItsPosition() {
        ByteBuffer heap = ByteBuffer.allocate(5);
        assertThrows(BufferOverflowException.class, () -> TermEncoder.standard().encode(Int.of(256), heap));
        assertEquals(0, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(5);
        assertThrows(BufferOverflowException.class, () -> TermEncoder.standard().encode(Int.of(256), direct));
        assertEquals(0, direct.position());
        ByteBuffer exact = ByteBuffer.allocate(6);
        TermEncoder.standard().encode(Int.of(256), exact);
        assertEquals(6, exact.position());
    }

    @Test
    void encodedSizeIsTheLengthOfTheUncompressedEncoding() {
        List<Term> terms = new ArrayList<>(List.of(Atom.OK, new Atom("日本"), new Atom("😀".repeat(255)),
                Int.of(0), Int.of(-1), Int.of(Long.MIN_VALUE), BigInt.of(BigInteger.TEN.pow(700)),
                ErlFloat.of(-0.0), ErlList.NIL, ErlList.ofString("abc"), ErlList.of(1, 300),
                ErlList.improper(List.of(Atom.OK), Atom.ERROR), Binary.of("x"), Bitstring.of(new byte[] {1}, 1),
                Tuple.of(Collections.nCopies(256, Atom.OK)), ErlMap.of(1, 2, 1.0, 3),
                new Pid(A_HOST, 1, 2, 3), new Port(A_HOST, 1, 2), new Port(A_HOST, 1L << 40, 2),
                Ref.of(A_HOST, 1, 1, 2, 3, 4, 5), new ExportFun(Atom.OK, Atom.ERROR, 0),
                decode("8370000000490107DD07139065AF8A4142496F43A8AD2800000001000000016400036A6476610162003EE838"
                        + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000612A")));
        terms.add(Tuple.of(terms));
        TermEncoder compressing = TermEncoder.builder().compressed(9).build();
        for (Term term : terms) {
            assertEquals(TermEncoder.standard().encode(term).length, TermEncoder.standard().encodedSize(term),
                    term::toString);
            assertEquals(V2.encode(term).length, V2.encodedSize(term), term::toString);
            assertEquals(TermEncoder.standard().encodedSize(term), compressing.encodedSize(term), term::toString);
        }
    }

    @Test
    void builderAcceptsOnlyErlangsOptionRanges() {
        assertThrows(IllegalArgumentException.class, () -> TermEncoder.builder().minorVersion(0));
        assertThrows(IllegalArgumentException.class, () -> TermEncoder.builder().minorVersion(3));
        assertThrows(IllegalArgumentException.class, () -> TermEncoder.builder().compressed(-1));
        assertThrows(IllegalArgumentException.class, () -> TermEncoder.builder().compressed(10));
    }

    @Test
    void toBuilderKeepsTheSettings() {
        TermEncoder original = TermEncoder.builder().minorVersion(2).compressed(9).build();
        TermEncoder copy = original.toBuilder().build();
        assertArrayEquals(original.encode(THOUSAND_AS), copy.encode(THOUSAND_AS));
        assertEquals("8377026F6B", hex(copy.encode(Atom.OK)));
        assertEquals("836400026F6B", hex(original.toBuilder().minorVersion(1).build().encode(Atom.OK)));
    }

    @Test
    void standardEncoderIsOtp25sDefault() {
        assertEquals("836400026F6B", encode(Atom.OK));
        assertEquals(encode(THOUSAND_AS), hex(TermEncoder.builder().build().encode(THOUSAND_AS)));
    }
}
