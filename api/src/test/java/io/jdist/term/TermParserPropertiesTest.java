package io.jdist.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple2;

class TermParserPropertiesTest {

    @Property(tries = 2000)
    void printThenParseGivesTheSameTerm(@ForAll("terms") Term term) {
        String text = term.toString();
        Term parsed = TermParser.parse(text);
        assertEquals(term, parsed, text);
        assertSameFloatBits(term, parsed);
    }

    @Property
    void printThenParseKeepsEveryFloatBitForBit(@ForAll("doubles") double value) {
        ErlFloat parsed = assertInstanceOf(ErlFloat.class, TermParser.parse(new ErlFloat(value).toString()));
        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(parsed.value()));
    }

    @Property(tries = 200)
    void parseAllReadsBackASequenceOfPrintedTerms(@ForAll("termLists") List<Term> terms) {
        StringBuilder text = new StringBuilder();
        for (Term term : terms) {
            text.append(term).append(".\n");
        }
        assertEquals(terms, TermParser.parseAll(text.toString()));
    }

    /**
     * Equality treats 0.0 and -0.0 as equal, as Erlang's {@code =:=} did before OTP 27; the text must
     * keep the sign all the same.
     */
    private static void assertSameFloatBits(Term expected, Term actual) {
        if (expected instanceof ErlFloat f) {
            assertEquals(Double.doubleToRawLongBits(f.value()), Double.doubleToRawLongBits(((ErlFloat) actual).value()),
                    () -> "bits of " + f);
        } else if (expected instanceof Tuple tuple) {
            for (int i = 0; i < tuple.arity(); i++) {
                assertSameFloatBits(tuple.get(i), ((Tuple) actual).get(i));
            }
        } else if (expected instanceof ErlList list) {
            for (int i = 0; i < list.size(); i++) {
                assertSameFloatBits(list.get(i), ((ErlList) actual).get(i));
            }
            if (!list.isProper()) {
                assertSameFloatBits(list.tail(), ((ErlList) actual).tail());
            }
        } else if (expected instanceof ErlMap map) {
            for (Map.Entry<Term, Term> entry : map.asMap().entrySet()) {
                assertSameFloatBits(entry.getValue(), ((ErlMap) actual).get(entry.getKey()));
            }
        }
    }

    @Provide
    Arbitrary<List<Term>> termLists() {
        return term(2).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Term> terms() {
        return term(3);
    }

    /** Terms nested at most {@code depth} levels. */
    private Arbitrary<Term> term(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Term> inner = Arbitraries.lazy(() -> term(depth - 1));
        return Arbitraries.frequencyOf(List.of(
                weighted(4, leaf()),
                weighted(1, inner.list().ofMaxSize(4).map(Tuple::of)),
                weighted(1, inner.list().ofMaxSize(4).map(ErlList::of)),
                weighted(1, improperList(inner)),
                weighted(1, map(inner))));
    }

    private static Tuple2<Integer, Arbitrary<Term>> weighted(int weight, Arbitrary<? extends Term> terms) {
        return net.jqwik.api.Tuple.of(weight, terms.map(Term.class::cast));
    }

    private Arbitrary<Term> improperList(Arbitrary<Term> inner) {
        Arbitrary<Term> tail = inner.filter(t -> !(t instanceof ErlList));
        return Combinators.combine(inner.list().ofMinSize(1).ofMaxSize(3), tail).as(ErlList::improper);
    }

    private Arbitrary<Term> map(Arbitrary<Term> inner) {
        return Combinators.combine(inner.list().ofMaxSize(3), inner.list().ofSize(3)).as((keys, values) -> {
            Map<Term, Term> entries = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                entries.put(keys.get(i), values.get(i));
            }
            return ErlMap.of(entries);
        });
    }

    private Arbitrary<Term> leaf() {
        return Arbitraries.oneOf(atoms(), integers(), bigIntegers(), doubles().map(ErlFloat::new), binaries(),
                bitstrings(), strings(), pids(), ports(), refs(), exportFuns());
    }

    private Arbitrary<Atom> atoms() {
        Arbitrary<String> plain = Combinators.combine(
                Arbitraries.chars().range('a', 'z').with('ß', 'é', 'ÿ'),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                        .withChars('_', '@', 'À', 'Þ', 'ø').ofMaxLength(10))
                .as((first, rest) -> first + rest);
        Arbitrary<String> reserved = Arbitraries.of("end", "maybe", "else", "fun", "case", "of", "receive",
                "after", "when", "div", "rem", "orelse", "cond", "let", "true", "false", "undefined");
        Arbitrary<String> quoted = Arbitraries.of("Hello world", "", "it's", "back\\slash", "\"q\"", "a.b",
                "a@h.example.com", "new\nline", "_x", "X", "÷", "×", "1a", "a-b", "\u0000\u001F\u007F\u0085",
                "\u00A0", "\u00AD", "\u2028", "\uE000");
        return Arbitraries.oneOf(plain, reserved, quoted, unicodeText(20)).map(Atom::of);
    }

    /** Text of any Unicode characters, never lone surrogates, which no Erlang text can hold. */
    private Arbitrary<String> unicodeText(int maxLength) {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, 0xFFFF),
                Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT))
                .filter(c -> c < 0xD800 || c > 0xDFFF);
        return codePoint.list().ofMaxSize(maxLength).map(codes -> {
            StringBuilder text = new StringBuilder();
            codes.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    private Arbitrary<Int> integers() {
        return Arbitraries.oneOf(
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1, 0L, -1L,
                        255L, 256L, -129L, 1L << 53, (1L << 53) + 1),
                Arbitraries.longs(),
                Arbitraries.longs().between(-2000, 2000))
                .map(Int::of);
    }

    private Arbitrary<Term> bigIntegers() {
        BigInteger longEdge = BigInteger.ONE.shiftLeft(63);
        Arbitrary<BigInteger> magnitude = Arbitraries.oneOf(
                Arbitraries.of(longEdge, longEdge.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(64)),
                Arbitraries.bigIntegers().between(longEdge, BigInteger.ONE.shiftLeft(1000)));
        return Combinators.combine(magnitude, Arbitraries.of(true, false))
                .as((m, negative) -> BigInt.of(negative ? m.negate() : m));
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                        Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE, 1.0e300, 1.0e-300,
                        0.1, 1.0 / 3, 1.0e16, 1.0e-3, 9007199254740993.0, 123456789.0),
                // Subnormals.
                Arbitraries.longs().between(1, (1L << 52) - 1).map(Double::longBitsToDouble),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
                Arbitraries.doubles());
    }

    private Arbitrary<Binary> binaries() {
        return Arbitraries.oneOf(
                Arbitraries.just(Binary.EMPTY),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(Binary::of),
                Arbitraries.strings().ascii().ofMaxLength(12).map(Binary::of),
                unicodeText(12).map(text -> Binary.of(text.getBytes(StandardCharsets.UTF_8))));
    }

    private Arbitrary<Bitstring> bitstrings() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(5),
                Arbitraries.integers().between(1, 7)).as(Bitstring::of);
    }

    private Arbitrary<ErlList> strings() {
        return Arbitraries.oneOf(unicodeText(12), Arbitraries.strings().ascii().ofMaxLength(12))
                .map(ErlList::ofString);
    }

    private Arbitrary<Pid> pids() {
        return Combinators.combine(atoms(), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
                .as(Pid::new);
    }

    private Arbitrary<Port> ports() {
        return Combinators.combine(atoms(), Arbitraries.longs(), Arbitraries.integers()).as(Port::new);
    }

    private Arbitrary<Ref> refs() {
        return Combinators.combine(atoms(), Arbitraries.integers(),
                Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(Ref.MAX_WORDS))
                .as(Ref::of);
    }

    private Arbitrary<ExportFun> exportFuns() {
        return Combinators.combine(atoms(), atoms(), Arbitraries.integers().between(0, 255)).as(ExportFun::new);
    }
}
