package io.jdist.term;

import static io.jdist.term.TermTestSupport.decode;
import static io.jdist.term.TermTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Equality, order, printing and factories of the term model. Order and exact equality are checked
 * against OTP 25.2.3's own answers ({@link OtpComparisonTable}); the hand-picked pairs below are
 * cells of that table.
 */
class TermModelTest {

    private static final Atom A = new Atom("a");
    private static final Atom B = new Atom("b");
    private static final Atom A_HOST = new Atom("a@host");

    private static List<Term> otpTerms() {
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < OtpComparisonTable.TERMS.size(); i++) {
            terms.add(TermDecoder.standard().decode(OtpComparisonTable.bytes(i)));
        }
        return terms;
    }

    private static char otp(int row, int column) {
        return OtpComparisonTable.MATRIX.get(row).charAt(column);
    }

    // ---------------------------------------------------------------- the OTP table

    @Test
    void compareToAgreesWithErlangOnEveryPairOfTheOtpTable() {
        List<Term> terms = otpTerms();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            for (int j = 0; j < terms.size(); j++) {
                char erlang = otp(i, j);
                int expected = erlang == '<' ? -1 : erlang == '>' ? 1 : 0;
                int actual = Integer.signum(terms.get(i).compareTo(terms.get(j)));
                if (actual != expected) {
                    mismatches.add("#" + i + " " + terms.get(i) + " vs #" + j + " " + terms.get(j)
                            + ": Erlang " + erlang + " but compareTo " + actual);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void equalsAgreesWithErlangExactEqualityOnEveryPairOfTheOtpTable() {
        List<Term> terms = otpTerms();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            for (int j = 0; j < terms.size(); j++) {
                boolean expected = otp(i, j) == 'x';
                if (terms.get(i).equals(terms.get(j)) != expected) {
                    mismatches.add("#" + i + " " + terms.get(i) + " vs #" + j + " " + terms.get(j)
                            + ": Erlang =:= is " + expected);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void equalTermsOfTheOtpTableHaveEqualHashCodes() {
        List<Term> terms = otpTerms();
        for (Term a : terms) {
            for (Term b : terms) {
                if (a.equals(b)) {
                    assertEquals(a.hashCode(), b.hashCode(), () -> a + " and " + b);
                }
            }
        }
    }

    @Test
    void referencesDifferingOnlyInTrailingZeroWordsAreExactlyEqual() {
        // OTP 25: a 3-word ref =:= the same ref sent with 5 words whose extra words are zero.
        Ref three = Ref.of(A_HOST, 3, 1, 2, 3);
        Ref five = Ref.of(A_HOST, 3, 1, 2, 3, 0, 0);
        assertEquals(0, three.compareTo(five));
        assertEquals(three, five);
        assertEquals(three.hashCode(), five.hashCode());
        assertNotEquals(three, Ref.of(A_HOST, 3, 1, 2, 3, 0, 1));
    }

    // ---------------------------------------------------------------- hand-picked order

    @Test
    void ordersTypesAsErlangDoes() {
        // number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring
        List<Term> ascending = List.of(ErlFloat.of(1.0e300), A, Ref.of(A_HOST, 3, 7),
                decode("8370000000470007DD07139065AF8A4142496F43A8AD2800000000000000006400036A6476610062003EE838"
                        + "5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000"),
                new ExportFun(new Atom("erlang"), new Atom("+"), 2), new Port(A_HOST, 1L << 40, 3),
                new Pid(A_HOST, 1, 2, 3), Tuple.EMPTY, ErlMap.EMPTY, ErlList.NIL, ErlList.of(A), Binary.EMPTY);
        for (int i = 0; i < ascending.size(); i++) {
            for (int j = 0; j < ascending.size(); j++) {
                assertEquals(Integer.signum(Integer.compare(i, j)),
                        Integer.signum(ascending.get(i).compareTo(ascending.get(j))),
                        ascending.get(i) + " vs " + ascending.get(j));
            }
        }
    }

    @Test
    void comparesIntegersAndFloatsByValue() {
        assertEquals(0, Int.of(1).compareTo(ErlFloat.of(1.0)));
        assertTrue(Int.of(1).compareTo(ErlFloat.of(1.5)) < 0);
        assertTrue(ErlFloat.of(1.5).compareTo(Int.of(2)) < 0);
        // 2^53 + 1 > 2^53 as a float (no rounding of the integer), 2^64 == 2^64 as a float.
        assertTrue(Int.of((1L << 53) + 1).compareTo(ErlFloat.of(0x1p53)) > 0);
        assertEquals(0, Int.of(1L << 53).compareTo(ErlFloat.of(0x1p53)));
        assertEquals(0, BigInt.of(BigInteger.ONE.shiftLeft(64)).compareTo(ErlFloat.of(0x1p64)));
        assertTrue(Int.of(Long.MAX_VALUE).compareTo(ErlFloat.of(9.3e18)) < 0);
        assertTrue(ErlFloat.of(1.0e300).compareTo(BigInt.of(BigInteger.ONE.shiftLeft(1000))) < 0);
        assertEquals(0, ErlFloat.of(-0.0).compareTo(ErlFloat.of(0.0)));
    }

    @Test
    void comparesPidsBySerialThenNumberThenNode() {
        assertTrue(new Pid(A_HOST, 1, 2, 3).compareTo(new Pid(A_HOST, 2, 1, 3)) > 0);
        assertTrue(new Pid(A_HOST, 1, 2, 3).compareTo(new Pid(A_HOST, 1, 2, 4)) < 0);
        assertTrue(new Pid(new Atom("b@host"), 1, 2, 3).compareTo(new Pid(new Atom("b@host"), 0, 0, 1)) > 0);
        assertTrue(new Pid(A_HOST, -1, 0, 3).compareTo(new Pid(A_HOST, 5, 0, 3)) > 0, "numbers are unsigned");
    }

    @Test
    void comparesPortsByNodeThenNumber() {
        assertTrue(new Port(A_HOST, 1, 3).compareTo(new Port(A_HOST, 0, 4)) < 0);
        assertTrue(new Port(A_HOST, 1L << 40, 3).compareTo(new Port(A_HOST, 2, 3)) > 0);
    }

    @Test
    void comparesMapsBySizeThenExactKeysThenValues() {
        assertTrue(ErlMap.of(1, A).compareTo(ErlMap.of(1.0, A)) < 0, "integer keys sort before float keys");
        assertEquals(0, ErlMap.of(A, 1).compareTo(ErlMap.of(A, 1.0)), "values compare by value");
        assertNotEquals(ErlMap.of(A, 1), ErlMap.of(A, 1.0));
        assertTrue(ErlMap.of(B, 0).compareTo(ErlMap.of(A, 1, B, 2)) < 0);
    }

    @Test
    void comparesTuplesBySizeThenElements() {
        assertTrue(Tuple.of(1.0).compareTo(Tuple.of(2)) < 0);
        assertTrue(Tuple.of(B).compareTo(Tuple.of(A, B)) < 0);
    }

    @Test
    void comparesImproperListsCellByCell() {
        List<Term> ab = List.of(A, B);
        assertTrue(ErlList.improper(List.of(A), B).compareTo(ErlList.of(ab)) < 0, "[a|b] < [a,b]");
        assertTrue(ErlList.improper(List.of(A), Binary.EMPTY).compareTo(ErlList.of(ab)) > 0, "[a|<<>>] > [a,b]");
        assertTrue(ErlList.improper(List.of(A), Tuple.EMPTY).compareTo(ErlList.of(ab)) < 0, "[a|{}] < [a,b]");
    }

    @Test
    void comparesBitstringsBitByBit() {
        assertTrue(Bitstring.of(new byte[] {(byte) 0x80}, 1).compareTo(Binary.of(new byte[] {1})) > 0);
        assertTrue(Binary.of("ab").compareTo(Binary.of("abc")) < 0);
        assertTrue(Binary.of(new byte[] {(byte) 255}).compareTo(Binary.of(new byte[] {1, 2})) > 0, "bytes are unsigned");
        assertTrue(Bitstring.of(new byte[] {1, 0}, 1).compareTo(Bitstring.of(new byte[] {1, (byte) 0x80}, 1)) < 0);
    }

    @Test
    void comparesAtomsByCodePoint() {
        assertTrue(new Atom("B").compareTo(A) < 0);
        assertTrue(new Atom("z").compareTo(new Atom("é")) < 0);
        assertTrue(new Atom("\uFFFF").compareTo(new Atom("😀")) < 0, "a supplementary character is above U+FFFF");
        assertTrue(new Atom("").compareTo(A) < 0);
    }

    // ---------------------------------------------------------------- equality

    @Test
    void integerAndFloatOfTheSameValueAreNotExactlyEqual() {
        assertNotEquals(Int.of(1), ErlFloat.of(1.0));
        assertNotEquals(ErlFloat.of(1.0), Int.of(1));
        assertNotEquals(Tuple.of(1), Tuple.of(1.0));
        assertEquals(2, ErlMap.of(1, A, 1.0, B).size());
        assertEquals(A, ErlMap.of(1, A, 1.0, B).get(Int.of(1)));
        assertEquals(B, ErlMap.of(1, A, 1.0, B).get(ErlFloat.of(1.0)));
    }

    @Test
    void zeroAndNegativeZeroAreExactlyEqualAsInOtp25() {
        ErlFloat zero = ErlFloat.of(0.0);
        ErlFloat negative = ErlFloat.of(-0.0);
        assertEquals(zero, negative);
        assertEquals(zero.hashCode(), negative.hashCode());
        assertEquals(Tuple.of(zero), Tuple.of(negative));
        assertEquals(Tuple.of(zero).hashCode(), Tuple.of(negative).hashCode());
        // OTP 25 refuses #{0.0 => a, -0.0 => b} on decoding as a repeated key; so does the factory.
        assertThrows(IllegalArgumentException.class, () -> ErlMap.of(zero, A, negative, B));
        assertEquals(A, ErlMap.of(zero, A).get(negative));
    }

    @Test
    void mapsAreEqualWhateverTheOrderOfTheirEntries() {
        ErlMap ab = ErlMap.of(A, 1, B, 2);
        ErlMap ba = ErlMap.of(B, 2, A, 1);
        assertEquals(ab, ba);
        assertEquals(ab.hashCode(), ba.hashCode());
        assertEquals(ab.toString(), ba.toString());
        assertEquals(0, ab.compareTo(ba));
    }

    @Test
    void largeMapsFindEveryKeyAndRefuseRepeatedOnes() {
        // Up to 8 keys a map is scanned; beyond, hashed; past 4096 keys its builder grows.
        for (int size : new int[] {1, 8, 9, 100, 5000}) {
            Map<Term, Term> java = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                java.put(new Atom("k" + (i * 7919 % size)), Int.of(i));
            }
            ErlMap map = ErlMap.of(java);
            assertEquals(size, map.size());
            java.forEach((key, value) -> assertEquals(value, map.get(key)));
            assertNull(map.get(new Atom("k" + size)));
            assertEquals(java, map.asMap());
            assertEquals(List.copyOf(java.keySet()), List.copyOf(map.asMap().keySet()), "keys iterate as added");
            assertEquals(java.hashCode() + 11, map.hashCode());
            Object[] repeated = new Object[2 * size + 2];
            int i = 0;
            for (Map.Entry<Term, Term> entry : java.entrySet()) {
                repeated[i++] = entry.getKey();
                repeated[i++] = entry.getValue();
            }
            repeated[i++] = new Atom("k" + (size - 1));
            repeated[i] = A;
            assertThrows(IllegalArgumentException.class, () -> ErlMap.of(repeated));
        }
    }

    @Test
    void keysWithTheSameHashAreToldApart() {
        // "Aa" and "BB" have the same String hash, and so do the atoms; 1 and 2^32 have the same hash.
        Map<Term, Term> java = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            java.put(new Atom("Aa".repeat(i + 1)), Int.of(i));
            java.put(new Atom("BB".repeat(i + 1)), Int.of(-i));
        }
        java.put(Int.of(1L), A);
        java.put(Int.of(1L << 32), B);
        ErlMap map = ErlMap.of(java);
        assertEquals(java.size(), map.size());
        java.forEach((key, value) -> assertEquals(value, map.get(key)));
        assertEquals(ErlMap.of(java), map);
        assertNotEquals(ErlMap.of(Map.of(new Atom("Aa"), Int.of(0))), ErlMap.of(Map.of(new Atom("BB"), Int.of(0))));
    }

    @Test
    void aStringEqualsTheListOfItsCharacterCodes() {
        assertEquals(ErlList.of(97, 98, 99), ErlList.ofString("abc"));
        assertEquals(ErlList.of(97, 98, 99).hashCode(), ErlList.ofString("abc").hashCode());
        // The same list as LIST_EXT of SMALL_INTEGER_EXTs and as STRING_EXT.
        assertEquals(decode("836C000000036161616261636A"), decode("836B0003616263"));
        assertEquals(decode("836C000000036161616261636A").hashCode(), decode("836B0003616263").hashCode());
        assertEquals(ErlList.of(0x65E5, 0x672C), ErlList.ofString("日本"));
        assertEquals(ErlList.of(0x1F600), ErlList.ofString("😀"));
    }

    @Test
    void improperListsWithListTailsAreNormalised() {
        ErlList joined = ErlList.improper(List.of(Int.of(1)), ErlList.of(2, 3));
        assertEquals(ErlList.of(1, 2, 3), joined);
        assertTrue(joined.isProper());
        assertEquals(3, joined.size());
        assertEquals(ErlList.improper(List.of(Int.of(1), Int.of(2)), A),
                ErlList.improper(List.of(Int.of(1)), ErlList.improper(List.of(Int.of(2)), A)));
        assertEquals(ErlList.of(1), ErlList.improper(List.of(Int.of(1)), ErlList.NIL));
        assertSame(ErlList.NIL, ErlList.improper(List.of(), ErlList.NIL));
        ErlList one = ErlList.of(1);
        assertSame(one, ErlList.improper(List.of(), one));
        assertThrows(IllegalArgumentException.class, () -> ErlList.improper(List.of(), A));
        assertEquals(A, ErlList.improper(List.of(B), A).tail());
        assertSame(ErlList.NIL, ErlList.of(1).tail());
        assertFalse(ErlList.improper(List.of(B), A).isProper());
    }

    @Test
    void binariesAreEqualByContentWhateverArrayBacksThem() {
        Binary view = Binary.wrap(new byte[] {9, 1, 2, 9}, 1, 2);
        Binary copy = Binary.of(new byte[] {1, 2});
        assertEquals(copy, view);
        assertEquals(copy.hashCode(), view.hashCode());
        assertNotEquals(copy, Binary.of(new byte[] {1, 2, 0}));
        assertSame(Binary.EMPTY, Binary.wrap(new byte[5], 2, 0));
    }

    @Test
    void bitstringsAreEqualByTheirBitsAlone() {
        assertEquals(Bitstring.of(new byte[] {0x20}, 3), Bitstring.of(new byte[] {0x3F}, 3));
        assertEquals(Bitstring.of(new byte[] {0x20}, 3).hashCode(), Bitstring.of(new byte[] {0x3F}, 3).hashCode());
        assertNotEquals(Bitstring.of(new byte[] {0x20}, 3), Bitstring.of(new byte[] {0x20}, 4));
        assertInstanceOf(Binary.class, Bitstring.bits(new byte[] {1, 2, 3}, 16));
        assertEquals(Binary.of(new byte[] {1, 2}), Bitstring.bits(new byte[] {1, 2, 3}, 16));
        assertEquals(Bitstring.of(new byte[] {1, (byte) 0x80}, 1), Bitstring.bits(new byte[] {1, (byte) 0xFF}, 9));
    }

    @Test
    void closuresAreEqualWhicheverProcessMadeThem() {
        // Cells (41, 42) of the OTP table: the same fun made by two processes is =:=.
        Term made = decode(OtpComparisonTable.TERMS.get(41));
        Term elsewhere = decode(OtpComparisonTable.TERMS.get(42));
        assertNotEquals(((Closure) made).pid(), ((Closure) elsewhere).pid());
        assertEquals(made, elsewhere);
        assertEquals(made.hashCode(), elsewhere.hashCode());
    }

    @Property(tries = 1000)
    void compareToIsZeroForEqualTermsAndAntisymmetric(@ForAll("terms") Term a, @ForAll("terms") Term b) {
        assertEquals(0, a.compareTo(a));
        assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
        if (a.equals(b)) {
            assertEquals(0, a.compareTo(b));
            assertEquals(a.hashCode(), b.hashCode());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Term> terms() {
        return TermArbitraries.terms();
    }

    // ---------------------------------------------------------------- printing

    @Test
    void printsAtomsQuotedWhereErlangQuotesThem() {
        // Each expected text is OTP 25's io_lib:format("~p", [Atom]).
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("ok", "ok");
        cases.put("a@b", "a@b");
        cases.put("a1_@B", "a1_@B");
        cases.put("café", "café");
        cases.put("hello world", "'hello world'");
        cases.put("Hello", "'Hello'");
        cases.put("", "''");
        cases.put("a.b", "'a.b'");
        cases.put("_x", "'_x'");
        cases.put("it's", "'it\\'s'");
        cases.put("hello\n", "'hello\\n'");
        cases.put("back\\slash", "'back\\\\slash'");
        cases.put("cond", "'cond'");
        cases.put("let", "'let'");
        cases.put("catch", "'catch'");
        cases.put("true", "true");
        cases.forEach((name, printed) -> assertEquals(printed, new Atom(name).toString(), name));
        assertEquals("'日本'", new Atom("日本").toString());
    }

    @Test
    void printsEveryReservedWordQuoted() {
        for (String word : Set.of("after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
                "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
                "rem", "try", "when", "xor")) {
            assertEquals("'" + word + "'", new Atom(word).toString());
        }
    }

    @Test
    void printsListsOfPrintableCharactersAsStrings() {
        assertEquals("\"abc\"", ErlList.ofString("abc").toString());
        assertEquals("[1,2,3]", ErlList.of(1, 2, 3).toString());
        assertEquals("\"a\\nb\"", ErlList.ofString("a\nb").toString());
        assertEquals("\"say \\\"hi\\\"\"", ErlList.ofString("say \"hi\"").toString());
        assertEquals("[97|b]", ErlList.improper(List.of(Int.of(97)), B).toString());
        assertEquals("[1|2]", ErlList.improper(List.of(Int.of(1)), Int.of(2)).toString());
        assertEquals("[]", ErlList.NIL.toString());
        assertEquals("[a,\"bc\",[]]", ErlList.of(A, ErlList.ofString("bc"), ErlList.NIL).toString());
    }

    @Test
    void printsBinariesAsTextUtf8TextOrBytes() {
        assertEquals("<<\"abc\">>", Binary.of("abc").toString());
        assertEquals("<<1,2,3>>", Binary.of(new byte[] {1, 2, 3}).toString());
        assertEquals("<<\"héllo\"/utf8>>", Binary.of("héllo").toString());
        assertEquals("<<195,40>>", Binary.of(new byte[] {(byte) 0xC3, 0x28}).toString());
        assertEquals("<<>>", Binary.EMPTY.toString());
        assertEquals("<<\"a\\\"b\">>", Binary.of("a\"b").toString());
        assertEquals("<<\"x\">>", Binary.wrap(new byte[] {0, 'x', 0}, 1, 1).toString());
    }

    @Test
    void printsBitstringsWithTheBitCountOfTheLastSegment() {
        assertEquals("<<1:3>>", Bitstring.of(new byte[] {0x20}, 3).toString());
        assertEquals("<<1,2:3>>", Bitstring.of(new byte[] {1, 0x40}, 3).toString());
        assertEquals("<<127:7>>", Bitstring.of(new byte[] {(byte) 0xFE}, 7).toString());
    }

    @Test
    void printsContainersLikeErlang() {
        assertEquals("#{1 => 3,a => 2,b => 1}", ErlMap.of(B, 1, A, 2, 1, 3).toString());
        assertEquals("{a,\"b\",<<\"c\">>}", Tuple.of(A, ErlList.ofString("b"), Binary.of("c")).toString());
        assertEquals("{}", Tuple.EMPTY.toString());
        assertEquals("#{}", ErlMap.EMPTY.toString());
        assertEquals("{ok,42,<<\"text\">>}", Tuple.of(Atom.OK, 42, "text").toString());
    }

    @Test
    void printsNumbersLikeErlang() {
        assertEquals("-5", Int.of(-5).toString());
        assertEquals("18446744073709551616", BigInt.of(BigInteger.ONE.shiftLeft(64)).toString());
        // OTP 25's ~p of each.
        assertEquals("1.0", ErlFloat.of(1.0).toString());
        assertEquals("-0.0", ErlFloat.of(-0.0).toString());
        assertEquals("1.0e10", ErlFloat.of(1.0e10).toString());
        assertEquals("1.5e-300", ErlFloat.of(1.5e-300).toString());
        assertEquals("0.1", ErlFloat.of(0.1).toString());
        assertEquals("100.0", ErlFloat.of(100.0).toString());
        assertEquals("1.0e15", ErlFloat.of(1.0e15).toString());
    }

    @Property(tries = 1000)
    void printsFloatsThatReadBackAsTheSameDouble(@ForAll double value) {
        String text = ErlFloat.of(value).toString();
        assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(Double.parseDouble(text)), text);
        assertTrue(text.matches("-?[0-9]+\\.[0-9]+(e-?[0-9]+)?"), text);
    }

    @Test
    void printsIdentifiersInJdistSyntax() {
        assertEquals("#Pid<a@host.3.1.2>", new Pid(A_HOST, 1, 2, 3).toString());
        assertEquals("#Pid<a@host.4294967295.4294967295.4294967295>", new Pid(A_HOST, -1, -1, -1).toString());
        assertEquals("#Port<a@host.3.7>", new Port(A_HOST, 7, 3).toString());
        assertEquals("#Port<a@host.3.18446744073709551615>", new Port(A_HOST, -1L, 3).toString());
        assertEquals("#Ref<a@host.3.3.2.1>", Ref.of(A_HOST, 3, 1, 2, 3).toString());
        assertEquals("#Pid<'日@host'.3.1.2>", new Pid(new Atom("日@host"), 1, 2, 3).toString());
        assertEquals("fun lists:map/2", new ExportFun(new Atom("lists"), new Atom("map"), 2).toString());
        assertEquals("fun erlang:'+'/2", new ExportFun(new Atom("erlang"), new Atom("+"), 2).toString());
        assertEquals("#Fun<jdv.0.4122680>", decode(OtpComparisonTable.TERMS.get(41)).toString());
    }

    // ---------------------------------------------------------------- factories

    @Test
    void convertsJavaValuesToTerms() {
        assertEquals(Int.of(1), Term.of((byte) 1));
        assertEquals(Int.of(1), Term.of((short) 1));
        assertEquals(Int.of(1), Term.of(1));
        assertEquals(Int.of(Long.MIN_VALUE), Term.of(Long.MIN_VALUE));
        assertEquals(Int.of(5), Term.of(BigInteger.valueOf(5)));
        assertInstanceOf(BigInt.class, Term.of(BigInteger.ONE.shiftLeft(63)));
        assertEquals(ErlFloat.of(1.5), Term.of(1.5));
        assertEquals(ErlFloat.of(1.5), Term.of(1.5f));
        assertSame(Atom.TRUE, Term.of(true));
        assertSame(Atom.FALSE, Term.of(false));
        assertEquals(Int.of('é'), Term.of('é'));
        assertEquals(Binary.of(new byte[] {'h', (byte) 0xC3, (byte) 0xA9}), Term.of("hé"));
        assertEquals(ErlList.of(1, Binary.of("a")), Term.of(List.of(1, "a")));
        assertEquals(ErlMap.of(Binary.of("k"), 1), Term.of(Map.of("k", 1)));
        assertSame(A, Term.of(A));
    }

    @Test
    void copiesByteArraysItConverts() {
        byte[] bytes = {1, 2};
        Term term = Term.of(bytes);
        bytes[0] = 9;
        assertEquals(Binary.of(new byte[] {1, 2}), term);
    }

    @Test
    void refusesJavaValuesWithoutAnErlangCounterpart() {
        assertThrows(NullPointerException.class, () -> Term.of(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Term.of(new StringBuilder()));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Term.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Term.of(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Tuple.of(1, new Object()));
    }

    @Test
    void makesTuplesFromJavaValues() {
        Tuple tuple = Tuple.of(Atom.OK, 42, "text");
        assertEquals(3, tuple.arity());
        assertEquals(Atom.OK, tuple.get(0));
        assertEquals(Int.of(42), tuple.get(1));
        assertEquals(Binary.of("text"), tuple.get(2));
        assertSame(Tuple.EMPTY, Tuple.of());
        assertSame(Tuple.EMPTY, Tuple.of(List.of()));
        assertEquals(tuple, Tuple.of(List.of(Atom.OK, Int.of(42), Binary.of("text"))));
        assertThrows(UnsupportedOperationException.class, () -> tuple.elements().add(A));
    }

    @Test
    void refusesARepeatedMapKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ErlMap.of(A, 1, A, 2));
        assertTrue(e.getMessage().contains("repeated map key a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ErlMap.of(A));
        Map<Object, Object> colliding = new LinkedHashMap<>();
        colliding.put(1, A);
        colliding.put(1L, B);
        assertThrows(IllegalArgumentException.class, () -> ErlMap.of(colliding));
        assertSame(ErlMap.EMPTY, ErlMap.of());
        assertEquals(Int.of(1), ErlMap.of(A, 1).get((Object) A));
        assertEquals(Int.of(1), ErlMap.of("k", 1).get("k"));
    }

    @Test
    void bigIntHoldsOnlyIntegersOutsideTheLongRange() {
        assertThrows(IllegalArgumentException.class, () -> new BigInt(BigInteger.valueOf(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> new BigInt(BigInteger.valueOf(Long.MIN_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> new BigInt(BigInteger.ZERO));
        assertThrows(NullPointerException.class, () -> new BigInt(null));
        BigInteger above = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        BigInteger below = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
        assertEquals(above, new BigInt(above).value());
        assertEquals(below, new BigInt(below).value());
        assertEquals(Int.of(Long.MIN_VALUE), BigInt.of(BigInteger.valueOf(Long.MIN_VALUE)));
        assertInstanceOf(BigInt.class, BigInt.of(above));
    }

    @Test
    void erlFloatRefusesNanAndInfinities() {
        assertThrows(IllegalArgumentException.class, () -> ErlFloat.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ErlFloat.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ErlFloat(Double.NEGATIVE_INFINITY));
    }

    @Test
    void atomsHoldAtMost255Characters() {
        assertEquals(255, new Atom("a".repeat(255)).name().length());
        assertThrows(IllegalArgumentException.class, () -> new Atom("a".repeat(256)));
        // 255 supplementary characters are 510 chars of UTF-16 but 255 characters.
        assertEquals(510, new Atom("😀".repeat(255)).name().length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Atom("😀".repeat(256)));
        assertTrue(e.getMessage().contains("256 characters"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new Atom(null));
        assertSame(Atom.OK, Atom.of("ok"));
        assertSame(Atom.TRUE, Atom.of(true));
        assertTrue(Atom.FALSE.isBoolean());
        assertFalse(Atom.OK.isBoolean());
    }

    @Test
    void atomsThatErlangCannotHoldAreNeverEncodedAsSomethingElse() {
        // OTP 25: list_to_atom([16#D800]) is badarg, and so is binary_to_term of a surrogate in UTF-8.
        // A Java string with a lone surrogate must be refused when made or when encoded, not written
        // as '?' (0x3F), which decodes to a different atom.
        Atom atom;
        try {
            atom = new Atom("a\uD800");
        } catch (IllegalArgumentException refused) {
            return;
        }
        byte[] bytes;
        try {
            bytes = TermEncoder.standard().encode(atom);
        } catch (IllegalArgumentException refused) {
            return;
        }
        fail("encoded " + atom.name().codePoints().mapToObj(Integer::toHexString).toList() + " as " + hex(bytes)
                + ", which decodes to " + TermDecoder.standard().decode(bytes));
    }

    @Test
    void referencesHoldOneToFiveWords() {
        assertThrows(IllegalArgumentException.class, () -> Ref.of(A_HOST, 1));
        assertThrows(IllegalArgumentException.class, () -> Ref.of(A_HOST, 1, 1, 2, 3, 4, 5, 6));
        int[] words = {1, 2, 3};
        Ref ref = Ref.of(A_HOST, 1, words);
        words[0] = 9;
        ref.words()[1] = 9;
        assertArrayEquals(new int[] {1, 2, 3}, ref.words());
    }

    @Test
    void exportFunsHaveAnArityFrom0To255() {
        assertThrows(IllegalArgumentException.class, () -> new ExportFun(A, B, -1));
        assertThrows(IllegalArgumentException.class, () -> new ExportFun(A, B, 256));
        assertEquals(255, new ExportFun(A, B, 255).arity());
    }

    @Test
    void bitstringsHaveOneToSevenBitsInTheirLastByte() {
        assertThrows(IllegalArgumentException.class, () -> Bitstring.of(new byte[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Bitstring.of(new byte[] {1}, 8));
        assertThrows(IllegalArgumentException.class, () -> Bitstring.of(new byte[0], 3));
        assertThrows(IllegalArgumentException.class, () -> Bitstring.bits(new byte[] {1}, 9));
        byte[] bytes = {(byte) 0xFF};
        Bitstring bits = Bitstring.of(bytes, 3);
        bytes[0] = 0;
        assertEquals("E0", hex(bits.toByteArray()));
        assertEquals(3, bits.bitSize());
        assertEquals(1, bits.byteSize());
        assertEquals(3, bits.tailBits());
    }

    @Test
    void binariesOfferTheirBytesWithoutLettingThemChange() {
        Binary binary = Binary.wrap(new byte[] {0, 'h', (byte) 0xC3, (byte) 0xA9, 0}, 1, 3);
        assertEquals(3, binary.size());
        assertEquals(0xC3, binary.byteAt(1));
        assertThrows(IndexOutOfBoundsException.class, () -> binary.byteAt(3));
        assertEquals("hé", binary.utf8());
        ByteBuffer view = binary.asByteBuffer();
        assertEquals(3, view.remaining());
        assertEquals('h', view.get(0));
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 1));
        binary.toByteArray()[0] = 9;
        assertEquals('h', binary.byteAt(0));
        assertThrows(IndexOutOfBoundsException.class, () -> Binary.wrap(new byte[2], 1, 2));
        assertEquals("\uFFFD(", Binary.of(new byte[] {(byte) 0xC3, 0x28}).utf8());
    }

    @Test
    void readsListsOfCodePointsBackAsStrings() {
        assertEquals(Optional.of("héllo😀"), ErlList.ofString("héllo😀").asString());
        assertEquals(Optional.of(""), ErlList.NIL.asString());
        assertEquals(Optional.empty(), ErlList.improper(List.of(Int.of(97)), B).asString());
        assertEquals(Optional.empty(), ErlList.of(0xD800).asString());
        assertEquals(Optional.empty(), ErlList.of(-1).asString());
        assertEquals(Optional.empty(), ErlList.of(0x110000).asString());
        assertEquals(Optional.empty(), ErlList.of(A).asString());
    }

    @Test
    void sharesSmallIntegersAndChecksIntConversions() {
        assertSame(Int.of(5), Int.of(5));
        assertSame(Int.of(-128), Int.of(-128));
        assertEquals(Int.of(100_000), Int.of(100_000));
        assertEquals(7, Int.of(7).intValue());
        assertThrows(ArithmeticException.class, () -> Int.of(1L << 31).intValue());
    }

    @Test
    void listsAndTuplesExposeUnmodifiableViews() {
        ErlList list = ErlList.of(1, 2);
        assertThrows(UnsupportedOperationException.class, () -> list.elements().add(A));
        assertEquals(Int.of(2), list.get(1));
        assertThrows(UnsupportedOperationException.class, () -> ErlMap.of(A, 1).asMap().put(B, B));
    }
}
