package io.jdist.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TermParserTest {

    private static Term parse(String text) {
        return TermParser.parse(text);
    }

    private static TermParseException failure(String text) {
        return assertThrows(TermParseException.class, () -> TermParser.parse(text));
    }

    private static void assertFails(String text, String fragment) {
        TermParseException e = failure(text);
        assertTrue(e.getMessage().contains(fragment), () -> "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
    }

    private static Atom atom(String name) {
        return Atom.of(name);
    }

    /** The bitstring of the first {@code bitLength} bits of {@code bytes}. */
    private static Term bits(long bitLength, int... bytes) {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        return Bitstring.bits(array, bitLength);
    }

    private static Term bytes(int... bytes) {
        return bits(8L * bytes.length, bytes);
    }

    @Test
    void parsesNestedTupleListBinaryAndMap() {
        Term term = parse("{ok, [1, two, \"three\"], <<4,5>>, #{key => {}, 6 => []}}");
        assertEquals(Tuple.of(Atom.OK, ErlList.of(1, atom("two"), ErlList.ofString("three")), bytes(4, 5),
                ErlMap.of(atom("key"), Tuple.EMPTY, 6, ErlList.NIL)), term);
    }

    @Test
    void parsesUnquotedAtomsIncludingLatin1LettersAndAtSigns() {
        assertEquals(atom("ok"), parse("ok"));
        assertEquals(atom("a@host"), parse("a@host"));
        assertEquals(atom("node_1"), parse("node_1"));
        assertEquals(atom("ßÿÀé"), parse("ßÿÀé"));
        assertEquals(Atom.TRUE, parse("true"));
        assertEquals(Atom.FALSE, parse("false"));
    }

    @Test
    void parsesQuotedAtomsWithEscapes() {
        assertEquals(atom("Hello world"), parse("'Hello world'"));
        assertEquals(atom("it's \\ \"q\"\n\t"), parse("'it\\'s \\\\ \\\"q\\\"\\n\\t'"));
        assertEquals(atom("привет 😀"), parse("'привет \\x{1F600}'"));
        assertEquals(atom(""), parse("''"));
    }

    @Test
    void rejectsReservedWordsUnlessQuoted() {
        assertFails("end", "reserved word end; write 'end' for the atom");
        assertFails("{a, maybe}", "reserved word maybe");
        assertEquals(atom("end"), parse("'end'"));
        assertEquals(atom("fun"), parse("'fun'"));
    }

    @Test
    void rejectsAtomsLongerThan255Characters() {
        TermParseException e = failure("{'" + "a".repeat(256) + "'}");
        assertEquals(2, e.column());
        assertTrue(e.getMessage().contains("exceeds the limit of 255"));
    }

    @Test
    void rejectsVariablesWhereATermIsExpected() {
        assertFails("X", "variables are not terms");
        assertFails("[1, _]", "variables are not terms");
        assertFails("{_Name}", "the variable _Name");
    }

    @Test
    void parsesIntegersWithSeparatorsBasesAndSigns() {
        assertEquals(Int.of(42), parse("42"));
        assertEquals(Int.of(1_000_000), parse("1_000_000"));
        assertEquals(Int.of(255), parse("16#FF"));
        assertEquals(Int.of(255), parse("16#ff"));
        assertEquals(Int.of(10), parse("2#1010"));
        assertEquals(Int.of(35), parse("36#z"));
        assertEquals(Int.of(0xFFFF), parse("16#FF_FF"));
        assertEquals(Int.of(-5), parse("-5"));
        assertEquals(Int.of(-5), parse("- 5"));
        assertEquals(Int.of(5), parse("+5"));
        assertEquals(Int.of(-255), parse("-16#FF"));
    }

    @Test
    void keepsLongsAsIntAndLargerIntegersAsBigInt() {
        assertEquals(Int.of(Long.MAX_VALUE), parse("9223372036854775807"));
        assertEquals(Int.of(Long.MIN_VALUE), parse("-9223372036854775808"));
        Term big = parse("9223372036854775808");
        assertInstanceOf(BigInt.class, big);
        assertEquals(new BigInteger("9223372036854775808"), ((BigInt) big).value());
        assertEquals(BigInt.of(BigInteger.ONE.shiftLeft(200).negate()), parse("-" + BigInteger.ONE.shiftLeft(200)));
        assertEquals(BigInt.of(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)), parse("16#" + "F".repeat(32)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1__0   | expected end of input but was '__0'",
        "1_     | expected end of input but was '_'",
        "2#102  | expected digits in base 2 but was '2'",
        "37#1   | expected a base from 2 to 36 but was 37",
        "1#0    | expected a base from 2 to 36 but was 1",
        "16#    | expected digits in base 16 but was end of input",
        "16#FG  | expected digits in base 16 but was 'G'",
        "- a    | expected a number after '-' but was 'a'",
        "--5    | expected a number after '-' but was '-'",
    })
    void rejectsMalformedIntegers(String text, String message) {
        assertFails(text, message);
    }

    @Test
    void parsesCharactersAsTheirCodes() {
        assertEquals(Int.of('a'), parse("$a"));
        assertEquals(Int.of('\n'), parse("$\\n"));
        assertEquals(Int.of(0x1F600), parse("$\\x{1F600}"));
        assertEquals(Int.of('\\'), parse("$\\\\"));
        assertEquals(Int.of(' '), parse("$ "));
        assertEquals(Int.of(0xE9), parse("$é"));
        assertEquals(Int.of(0x1F600), parse("$😀"));
        assertEquals(Int.of(-97), parse("-$a"));
        assertEquals(Int.of(1), parse("$\\^a"));
        assertFails("$", "expected a character after '$' but was end of input");
    }

    @Test
    void parsesFloatsToTheExactlyRoundedDouble() {
        assertEquals(1.5, floatValue("1.5"));
        assertEquals(1.0e10, floatValue("1.0e10"));
        assertEquals(1.0e-5, floatValue("1.0E-5"));
        assertEquals(2.5e3, floatValue("2.5e+3"));
        assertEquals(0.1, floatValue("0.1"));
        assertEquals(Double.MIN_VALUE, floatValue("4.9e-324"));
        assertEquals(Double.MAX_VALUE, floatValue("1.7976931348623157e308"));
        assertEquals(1.05e11, floatValue("1_0.5_0e1_0"));
        assertEquals(0.0, floatValue("1.0e-400"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(floatValue("-0.0")));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(floatValue("- 0.0")));
    }

    private static double floatValue(String text) {
        return assertInstanceOf(ErlFloat.class, parse(text)).value();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1.0e400  | float 1.0e400 is out of range",
        "-1.0e400 | float 1.0e400 is out of range",
        "1.0e     | expected the digits of an exponent but was end of input",
        "1.e5     | expected end of input but was '.'",
    })
    void rejectsMalformedFloats(String text, String message) {
        assertFails(text, message);
    }

    @Test
    void parsesStringsWithEveryEscape() {
        assertEquals(ErlList.of(10, 13, 9, 11, 8, 12, 27, 32, 127, 39, 34, 92),
                parse("\"\\n\\r\\t\\v\\b\\f\\e\\s\\d\\'\\\"\\\\\""));
        assertEquals(ErlList.of(0, 7, 63, 511, 'S', '4'), parse("\"\\0\\7\\77\\777\\1234\""));
        assertEquals(ErlList.of(0x41, 0xFF, 0x41, 0x1F600), parse("\"\\x41\\xff\\x{41}\\x{1F600}\""));
        assertEquals(ErlList.of(1, 26, 1, 26), parse("\"\\^A\\^Z\\^a\\^z\""));
        assertEquals(ErlList.ofString("line\nbreak"), parse("\"line\nbreak\""));
    }

    @Test
    void concatenatesAdjacentStrings() {
        assertEquals(ErlList.ofString("abcd"), parse("\"ab\" \"cd\""));
        assertEquals(ErlList.ofString("abc"), parse("\"a\" % comment\n \"\" \"bc\""));
    }

    @Test
    void parsesTheEmptyStringAsNil() {
        assertEquals(ErlList.NIL, parse("\"\""));
        assertEquals(ErlList.NIL, parse("[]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`\"\\q\"`         | unknown escape '\\q'",
        "`\"\\u00e9\"`     | unknown escape '\\u'",
        "`\"\\xg\"`        | expected two hex digits after '\\x' but was 'g'",
        "`\"\\x{}\"`       | expected hex digits in '\\x{}'",
        "`\"\\x{12\"`      | expected hex digits and '}' after '\\x{' but was '\"'",
        "`\"\\x{D800}\"`   | expected a Unicode character but was the code 0xd800",
        "`\"\\x{110000}\"` | expected a Unicode character but was the code 0x110000 or more",
        "`\"\\^1\"`        | expected a letter after '\\^' but was '1'",
        "`\"abc`           | unterminated string",
        "`\"abc\\`         | unterminated string",
        "`'abc`            | unterminated quoted atom",
    })
    void rejectsBadEscapesAndUnterminatedText(String text, String message) {
        assertFails(text, message);
    }

    @Test
    void parsesProperAndImproperLists() {
        assertEquals(ErlList.of(1, 2, 3), parse("[1,2,3]"));
        assertEquals(ErlList.improper(List.of(Int.of(1), Int.of(2)), atom("tail")), parse("[1,2|tail]"));
        assertEquals(ErlList.of(1, 2, 3), parse("[1|[2,3]]"));
        assertEquals(ErlList.of(1, 2, 3), parse("[1 | [2 | [3 | []]]]"));
        assertEquals(ErlList.improper(List.of(Int.of(1), Int.of(2)), Int.of(3)), parse("[1|[2|3]]"));
        assertFails("[|x]", "expected a term but was '|'");
        assertFails("[1|2|3]", "expected ']' after the tail but was '|'");
    }

    @Test
    void parsesTuplesAndMaps() {
        assertEquals(Tuple.EMPTY, parse("{}"));
        assertEquals(Tuple.of(atom("a"), 1), parse("{a, 1}"));
        assertEquals(ErlMap.EMPTY, parse("#{}"));
        assertEquals(ErlMap.of(atom("a"), 1, ErlList.ofString("k"), ErlList.of(atom("x"))),
                parse("#{a => 1, \"k\" => [x]}"));
        assertEquals(ErlMap.of(1, 2), parse("# {1=>2}"));
        assertEquals(ErlMap.of(1, atom("int"), 1.0, atom("float")), parse("#{1 => int, 1.0 => float}"));
    }

    @Test
    void rejectsARepeatedMapKeyNamingItAndItsPlace() {
        TermParseException e = failure("#{a => 1,\n  {b, \"c\"} => 2, {b, \"c\"} => 3}");
        assertEquals(2, e.line());
        assertEquals(18, e.column());
        assertEquals("line 2, column 18: repeated map key {b,\"c\"}", e.getMessage());
    }

    @Test
    void rejectsMapUpdateSyntax() {
        assertFails("#{a := 1}", "expected '=>' but was ':='");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // Each expected value is how Erlang/OTP 25 evaluates the text, printed with ~w.
        "<<>>                              | <<>>",
        "<<1,2,3>>                         | <<1,2,3>>",
        "<<\"abc\">>                       | <<97,98,99>>",
        "<<\"a\" \"b\">>                   | <<97,98>>",
        "<<\"héllo\"/utf8>>                | <<104,195,169,108,108,111>>",
        "<<\"x\"/utf16>>                   | <<0,120>>",
        "<<\"x\"/utf32>>                   | <<0,0,0,120>>",
        "<<16#1F600/utf16>>                | <<216,61,222,0>>",
        "<<16#1F600/utf16-little>>         | <<61,216,0,222>>",
        "<<$a/utf32-little>>               | <<97,0,0,0>>",
        "<<1:3>>                           | <<1:3>>",
        "<<5:4, 1:1>>                      | <<11:5>>",
        "<<300:16>>                        | <<1,44>>",
        "<<300:8>>                         | <<44>>",
        "<<-1:8/signed>>                   | <<255>>",
        "<<-1>>                            | <<255>>",
        "<<(-1):4>>                        | <<15:4>>",
        "<<1:16/little>>                   | <<1,0>>",
        "<<16#ABC:12>>                     | <<171,12:4>>",
        "<<16#ABC:12/little>>              | <<188,10:4>>",
        "<<1:3, 2:5/little>>               | <<34>>",
        "<<1:4/little-unit:3>>             | <<1,0:4>>",
        "<<-2:70>>                         | <<255,255,255,255,255,255,255,255,62:6>>",
        "<<-2:70/little>>                  | <<254,255,255,255,255,255,255,255,63:6>>",
        "<<1.5/float>>                     | <<63,248,0,0,0,0,0,0>>",
        "<<1.5/float-little>>              | <<0,0,0,0,0,0,248,63>>",
        "<<1.5:32/float>>                  | <<63,192,0,0>>",
        "<<1:32/float>>                    | <<63,128,0,0>>",
        "<<1.5:16/float>>                  | <<62,0>>",
        "<<0.1:16/float>>                  | <<46,102>>",
        "<<6.0e-5:16/float>>               | <<3,239>>",
        "<<1.00048828125:16/float>>        | <<60,0>>",
        "<<1.00146484375:16/float>>        | <<60,2>>",
        "<<65519.0:16/float>>              | <<123,255>>",
        "<<70000.0:16/float>>              | <<124,0>>",
        "<<1.0e300:32/float>>              | <<127,128,0,0>>",
        "<<1:2/float-unit:8>>              | <<60,0>>",
        "<<\"abc\"/float>>                 | <<64,88,64,0,0,0,0,0,64,88,128,0,0,0,0,0,64,88,192,0,0,0,0,0>>",
        "<<\"abc\":16>>                    | <<0,97,0,98,0,99>>",
        "<<(<<1,2>>)/binary, 3>>           | <<1,2,3>>",
        "<<<<1,2>>/binary, 3>>             | <<1,2,3>>",
        "<<<<1,2,3>>:2/binary>>            | <<1,2>>",
        "<<<<1,2>>:4/bits>>                | <<0:4>>",
        "<<<<1:3>>/bits, 1:5>>             | <<33>>",
        "<<<<1>>/binary-little>>           | <<1>>",
        "<<<<1>>/binary-unit:1>>           | <<1>>",
        "<<<<255,7:5>>/binary-bitstring>>  | <<255,7:5>>",
        "<<<<1,2,3>>/bits-binary>>         | <<1,2,3>>",
        "<<\"\"/float>>                  | <<>>",
        "<<\"\":5>>                      | <<>>",
        "<<<<1,2>>:1/binary-unit:16>>      | <<1,2>>",
        "<<1:8/unit:8-unit:8>>             | <<0,0,0,0,0,0,0,1>>",
        "<<1:(8)>>                         | <<1>>",
        "<<$a, $\\n>>                      | <<97,10>>",
        "<<1:0>>                           | <<>>",
        "<<\"\"/utf8>>                     | <<>>",
    })
    void buildsBinarySegmentsAsErlangDoes(String text, String erlang) {
        assertEquals(erlang, wFormat(parse(text)));
    }

    /** A bitstring as Erlang's {@code io:format("~w")} prints it. */
    private static String wFormat(Term term) {
        byte[] array;
        int tail = 0;
        if (term instanceof Binary binary) {
            array = binary.toByteArray();
        } else {
            Bitstring bits = assertInstanceOf(Bitstring.class, term);
            array = bits.toByteArray();
            tail = bits.tailBits();
        }
        StringBuilder out = new StringBuilder("<<");
        int whole = tail == 0 ? array.length : array.length - 1;
        for (int i = 0; i < whole; i++) {
            out.append(i > 0 ? "," : "").append(array[i] & 0xFF);
        }
        if (tail > 0) {
            out.append(whole > 0 ? "," : "").append((array[whole] & 0xFF) >>> (8 - tail)).append(':').append(tail);
        }
        return out.append(">>").toString();
    }

    @Test
    void writesLittleEndianIntegersLowBytesFirst() {
        assertEquals("<<10,9,8,7,6,5,4,3,2,1>>", wFormat(parse("<<16#0102030405060708090A:80/little>>")));
    }

    @Test
    void writesNativeEndianAsThisMachineDoes() {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        assertEquals(little ? bytes(0x34, 0x12) : bytes(0x12, 0x34), parse("<<16#1234:16/native>>"));
    }

    @Test
    void returnsABitstringOnlyWhenTheBitsDoNotFillWholeBytes() {
        assertInstanceOf(Binary.class, parse("<<1:4, 2:4>>"));
        for (int tail = 1; tail <= 7; tail++) {
            Bitstring bits = assertInstanceOf(Bitstring.class, parse("<<1, 1:" + tail + ">>"));
            assertEquals(tail, bits.tailBits());
            assertEquals(8 + tail, bits.bitSize());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "<<1.5>>                     | expected an integer but was 1.5; add /float to write a float",
        "<<<<1>>>>                   | expected an integer but was <<1>>; add /binary or /bits",
        "<<(abc)>>                   | expected an integer but was abc",
        "<<abc>>                     | expected a segment value (a number, string, binary or parenthesised term)",
        "<<\"привет\">>              | character U+043F does not fit in 8 bits; add /utf8",
        "<<\"a\"/binary>>            | expected a binary but was a string",
        "<<\"\"/bits>>               | expected a binary but was a string",
        "<<\"\":7/float>>            | expected a float size of 16, 32 or 64 bits but was 7",
        "<<\"\":3/utf8>>             | utf8 segments take no size or unit",
        "<<\"\"/unit:8>>             | a unit needs a size",
        "<<<<1>>/bits-unit:8>>       | conflicting type specifiers bits and unit:8",
        "<<<<1>>/unit:2-bytes>>      | conflicting type specifiers unit:2 and bytes",
        "<<<<1>>/binary-utf8>>       | conflicting type specifiers binary and utf8",
        "<<1/bytes>>                 | expected a binary but was 1",
        "<<<<1:3>>/binary>>          | expected a binary whose size is a multiple of 8 bits but was <<1:3>>, of 3 bits",
        "<<<<1,2,3>>/binary-unit:16>> | expected a binary whose size is a multiple of 16 bits",
        "<<<<1>>:2/binary>>          | expected a binary of at least 16 bits but was <<1>>, of 8 bits",
        "<<1:8/utf8>>                | utf8 segments take no size or unit",
        "<<16#D800/utf8>>            | expected a Unicode code point for a utf8 segment but was 55296",
        "<<16#110000/utf32>>         | expected a Unicode code point for a utf32 segment",
        "<<1/integer-float>>         | conflicting type specifiers integer and float",
        "<<1/big-little>>            | conflicting type specifiers big and little",
        "<<1/signed-unsigned>>       | conflicting type specifiers signed and unsigned",
        "<<1/unit:8>>                | a unit needs a size",
        "<<1:8/unit:257>>            | expected a unit from 1 to 256 but was 257",
        "<<1:8/unit:0>>              | expected a unit from 1 to 256 but was 0",
        "<<1:8/foo>>                 | unknown type specifier 'foo'",
        "<<1:2/float>>               | expected a float size of 16, 32 or 64 bits but was 2",
        "<<1:-1>>                    | expected a segment size (an integer) but was '-'",
        "<<1:x>>                     | expected a segment size (an integer) but was 'x'",
        "<<1 2>>                     | expected ',' or '>>' but was '2'",
        "<<1,2                       | expected ',' or '>>' but was end of input; the '<<' at line 1, column 1 is not closed",
        "<<1:3000000000>>            | expected a segment size of at most 2147483647",
        "<<(1 bsl 1100):64/float>>   | expected ')' but was 'bsl'",
    })
    void rejectsSegmentsErlangCannotBuild(String text, String message) {
        assertFails(text, message);
    }

    @Test
    void reportsASegmentErrorAtTheSegment() {
        TermParseException e = failure("<<1, 2,\n   3.5, 4>>");
        assertEquals(2, e.line());
        assertEquals(4, e.column());
    }

    @Test
    void convertsHugeIntegersToFloatSegmentsOnlyWhenInRange() {
        BigInteger near1e300 = new BigDecimal("1.0e300").toBigInteger();
        assertEquals(parse("<<1.0e300/float>>"), parse("<<" + near1e300 + "/float>>"));
        assertFails("<<(" + BigInteger.ONE.shiftLeft(1100) + ")/float>>", "expected an integer within the range of a float");
    }

    @Test
    void parsesExportFuns() {
        assertEquals(new ExportFun(atom("lists"), atom("map"), 2), parse("fun lists:map/2"));
        assertEquals(new ExportFun(atom("M"), atom("f"), 0), parse("fun 'M':'f'/0"));
        assertEquals(new ExportFun(atom("end"), atom("fun"), 255), parse("fun 'end' : 'fun' / 255"));
        assertFails("fun a:b/256", "expected an arity from 0 to 255 but was '256'");
        assertFails("fun f/1", "expected ':' but was '/'");
        assertFails("fun end:f/1", "expected a module name (an atom) but was 'end'");
        assertFails("fun", "expected a module name (an atom) but was end of input");
    }

    @Test
    void parsesPidsPortsAndRefsAsTheyPrint() {
        Atom node = atom("a@host");
        assertEquals(new Pid(node, 83, 0, 3), parse("#Pid<a@host.3.83.0>"));
        assertEquals(new Pid(atom("a@h.example.com"), 1, 2, 3), parse("#Pid<'a@h.example.com'.3.1.2>"));
        assertEquals(new Pid(node, -1, -1, -1), parse("#Pid<a@host.4294967295.4294967295.4294967295>"));
        assertEquals(new Port(node, 17, 3), parse("#Port<a@host.3.17>"));
        assertEquals(new Port(node, -1L, 3), parse("#Port<a@host.3.18446744073709551615>"));
        assertEquals(Ref.of(node, 3, 2, 1, 0), parse("#Ref<a@host.3.0.1.2>"));
        assertEquals(Ref.of(node, 0, 7), parse("#Ref<a@host.0.7>"));
        assertEquals(ErlList.of(Ref.of(node, 1, 5, 4, 3, 2, 1)), parse("[#Ref<a@host.1.1.2.3.4.5>]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "#Pid<a.1.2>                   | 1 | expected 3 numbers after the node in #Pid<Node.Creation.Id.Serial> but was 2",
        "#Pid<a.1.2.3.4>               | 1 | expected 3 numbers after the node",
        "#Pid<a.1.2.4294967296>        | 12 | expected an unsigned 32-bit number but was 4294967296",
        "#Port<a.1.18446744073709551616> | 11 | expected an unsigned 64-bit number",
        "#Ref<a.1>                     | 1 | expected 2 to 6 numbers after the node",
        "#Ref<a.1.1.2.3.4.5.6>         | 1 | expected 2 to 6 numbers after the node",
        "#Pid<A.1.2.3>                 | 6 | expected a node name after '#Pid<' but was 'A'",
        "#Pid<a.1.2.3                  | 13 | expected '.' or '>' in '#Pid<...>' but was end of input",
        "#Pid<a.1. 2.3>                | 10 | expected a number in '#Pid<...>' but was U+0020",
        "#Pid<a.-1.2.3>                | 8 | expected a number in '#Pid<...>' but was '-'",
        "#Foo<a.1>                     | 1 | unknown form '#Foo'",
        "#rec{a = 1}                   | 1 | unknown form '#rec'",
        "#[1]                          | 2 | expected '{' after '#' but was '['",
    })
    void rejectsMalformedIdentifiers(String text, int column, String message) {
        TermParseException e = failure(text);
        assertEquals(column, e.column(), e::getMessage);
        assertTrue(e.getMessage().contains(message), e::getMessage);
    }

    @Test
    void explainsThatClosuresCannotBeWritten() {
        assertFails("{#Fun<erl_eval.6.1234>}", "closures (#Fun<...>) cannot be written in term syntax");
    }

    @Test
    void skipsWhiteSpaceAndCommentsAnywhere() {
        String text = "% a config file\n{ server , % name\n\t[ 1 ,\r\n 2 ] % list\n } % end\n.\n% trailer";
        assertEquals(Tuple.of(atom("server"), ErlList.of(1, 2)), parse(text));
        assertEquals(atom("ok"), parse("ok.%done"));
        assertEquals(atom("ok"), parse("\u00A0ok\u0085"));
    }

    @Test
    void parseAllReadsTermsEachEndedByADot() {
        assertEquals(List.of(ErlList.of(Tuple.of(atom("a"), 1)), Tuple.of(atom("b"), 2)),
                TermParser.parseAll("[{a,1}]. {b,2}."));
        assertEquals(List.of(Int.of(1), Int.of(2)), TermParser.parseAll("% numbers\n1.\n2.\n"));
        assertEquals(List.of(), TermParser.parseAll(""));
        assertEquals(List.of(), TermParser.parseAll("  % only a comment\n"));
    }

    @Test
    void parseAllRequiresADotAfterEveryTerm() {
        TermParseException e = assertThrows(TermParseException.class, () -> TermParser.parseAll("{a}.\n{b}"));
        assertEquals("line 2, column 4: expected '.' after the term but was end of input", e.getMessage());
        TermParseException glued = assertThrows(TermParseException.class, () -> TermParser.parseAll("a.b."));
        assertTrue(glued.getMessage().contains("must be followed by white space"), glued::getMessage);
    }

    @Test
    void parseAcceptsOneTermWithAnOptionalDot() {
        assertEquals(atom("ok"), parse("ok"));
        assertEquals(atom("ok"), parse("ok."));
        assertEquals(atom("ok"), parse("  ok .  "));
        assertEquals(Int.of(1), parse("1."));
        assertEquals(new ErlFloat(1.5), parse("1.5."));
    }

    @Test
    void reportsLineAndColumnOfUnexpectedToken() {
        TermParseException e = failure("{a, b x}");
        assertEquals(1, e.line());
        assertEquals(7, e.column());
        assertEquals("line 1, column 7: expected ',' or '}' but was 'x'", e.getMessage());

        TermParseException later = failure("[\n  1,\n  2 3]");
        assertEquals(3, later.line());
        assertEquals(5, later.column());
        assertEquals("line 3, column 5: expected ',', '|' or ']' but was '3'", later.getMessage());
    }

    @Test
    void countsColumnsInCharactersNotUtf16Units() {
        TermParseException e = failure("{'😀😀', x y}");
        assertEquals(10, e.column());
    }

    @Test
    void reportsAnUnterminatedStringAtItsStart() {
        TermParseException e = failure("{ok,\n  \"never closed}\n");
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertEquals("line 2, column 3: unterminated string", e.getMessage());
    }

    @Test
    void reportsWhereAnUnclosedBracketOpened() {
        assertEquals("line 1, column 8: expected ',' or '}' but was end of input;"
                + " the '{' at line 1, column 1 is not closed", failure("{a, {b}").getMessage());
        assertEquals("line 3, column 1: expected ']' after the tail but was end of input;"
                + " the '[' at line 2, column 3 is not closed", failure("{a,\n  [b | c\n").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "% just a comment", "\n\n"})
    void rejectsEmptyInput(String text) {
        assertFails(text, "expected a term but was end of input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{a} b     | expected end of input but was 'b'",
        "a. b      | expected end of input but was 'b'; use parseAll to read several terms",
        "{a}.{b}   | expected end of input but was '.'; a '.' that ends a term must be followed by white space",
        "ok..      | expected end of input but was '.'",
        "1 2       | expected end of input but was '2'",
        "{a}}      | expected end of input but was '}'",
        "привет    | unexpected character 'п'; an atom with letters beyond Latin-1 must be quoted",
        "{a; b}    | expected ',' or '}' but was ';'",
        "#{a = 1}  | expected '=>' but was '='",
    })
    void rejectsTrailingGarbageAndStrayCharacters(String text, String message) {
        assertFails(text, message);
    }

    @Test
    void acceptsNestingOf1000LevelsButRejectsDeeperWithoutOverflowingTheStack() {
        assertInstanceOf(ErlList.class, parse("[".repeat(1000) + "]".repeat(1000)));
        for (String open : List.of("[", "{", "#{1 => ", "<<(<<")) {
            String text = open.repeat(100_000);
            TermParseException e = failure(text);
            assertTrue(e.getMessage().contains("expected at most 1000 levels of nesting"), e::getMessage);
        }
    }

    @Test
    void neverRepeatsTheWholeInputInAMessage() {
        String longAtom = "'" + "x".repeat(10_000) + "'";
        TermParseException e = failure("{a " + longAtom + "}");
        assertTrue(e.getMessage().length() < 200, e::getMessage);
        TermParseException string = failure("{a \"" + "y".repeat(10_000) + "\"}");
        assertTrue(string.getMessage().length() < 200, string::getMessage);
    }

    @Test
    void rejectsNullText() {
        assertThrows(NullPointerException.class, () -> TermParser.parse(null));
        assertThrows(NullPointerException.class, () -> TermParser.parseAll(null));
    }

    @Test
    void readsBackWhatTermsPrint() {
        List<Term> terms = List.of(
                Atom.of("Hello world"), Atom.of("it's"), Atom.of("maybe"), Atom.of("a\u0000b"),
                Int.of(Long.MIN_VALUE), BigInt.of(BigInteger.TEN.pow(40).negate()),
                new ErlFloat(-0.0), new ErlFloat(Double.MIN_VALUE), new ErlFloat(1.0e300), new ErlFloat(0.1),
                Binary.EMPTY, Binary.of("text \"quoted\" \\ \n"), Binary.of("héllo 😀"), Binary.of(new byte[] {0, -1, 127}),
                Bitstring.of(new byte[] {(byte) 0xFF, (byte) 0xE0}, 3),
                ErlList.ofString("tab\there"), ErlList.of(0, 1, 2), ErlList.improper(List.of(Int.of(1)), Binary.EMPTY),
                ErlMap.of(1, 2, 1.0, 3, "k", List.of()), new Pid(Atom.of("nonode@nohost"), 83, 0, 0),
                new Port(Atom.of("n"), Long.MIN_VALUE, -1), Ref.of(Atom.of("n@h"), 1, -1, 0, 7),
                new ExportFun(Atom.of("erlang"), Atom.of("+"), 2));
        for (Term term : terms) {
            assertEquals(term, parse(term.toString()), term::toString);
        }
    }
}
