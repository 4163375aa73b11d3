package io.jdist.term;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of terms of every type for the properties checked against a real Erlang, biased
 * towards the encodings' edges: integer and atom sizes where the tag changes, floats that are
 * subnormal or signed zeros, unicode needing quotes or escapes, identifiers with 32-bit creations.
 * Closures are missing: only Erlang can make them (see {@code ErlangTermInteropTest}).
 */
final class ErlangTermArbitraries {

    private ErlangTermArbitraries() {
    }

    static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> weight(int weight, Arbitrary<? extends T> arbitrary) {
        return net.jqwik.api.Tuple.of(weight, arbitrary);
    }

    // ---- Characters and atoms ----

    /** Code points, mostly ASCII, never surrogates. */
    static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                weight(8, Arbitraries.integers().between(0x20, 0x7E)),
                weight(1, Arbitraries.integers().between(0, 0x1F)),
                weight(1, Arbitraries.integers().between(0x7F, 0x9F)),
                weight(3, Arbitraries.integers().between(0xA0, 0xFF)),
                weight(3, Arbitraries.integers().between(0x100, 0xD7FF)),
                weight(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                weight(3, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    static Arbitrary<String> unicodeStrings(int maxCodePoints) {
        return codePoints().list().ofMaxSize(maxCodePoints).map(ErlangTermArbitraries::fromCodePoints);
    }

    static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    static Arbitrary<Atom> atoms() {
        Arbitrary<String> plain = Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                        .withChars('_', '@').ofMaxLength(12))
                .as((first, rest) -> first + rest);
        Arbitrary<String> needingQuotes = Arbitraries.strings()
                .withCharRange('A', 'Z').withCharRange('a', 'c')
                .withChars(' ', '\'', '"', '\\', '.', '-', '+', '@', '$', '\n', '\t', '\0', 'é', 'Ö', '÷', 'ß')
                .ofMaxLength(10);
        Arbitrary<String> reserved = Arbitraries.of("receive", "end", "fun", "maybe", "else", "and", "catch",
                "true", "false", "nil", "undefined", "", "[]", "{}", "_", "Aa", "a b", "ok");
        Arbitrary<String> unicode = codePoints().list().ofMinSize(1).ofMaxSize(12)
                .map(ErlangTermArbitraries::fromCodePoints);
        // 255 characters is the limit; UTF-8 makes them up to 1020 bytes (ATOM_UTF8_EXT).
        Arbitrary<String> longest = Combinators.combine(
                Arbitraries.of("a", "é", "ÿ", "日", "😀", "\u0100"), Arbitraries.of(254, 255))
                .as((s, n) -> s.repeat(n));
        return Arbitraries.frequencyOf(
                        weight(6, plain), weight(2, needingQuotes), weight(1, reserved), weight(3, unicode),
                        weight(1, longest))
                .map(Atom::of);
    }

    /** Node names, never {@code nonode@nohost}: Erlang would take those pids for its own. */
    static Arbitrary<Atom> nodes() {
        return Arbitraries.frequencyOf(
                        weight(4, Arbitraries.of("a@b", "jdist@localhost", "erl@host.example.com", "node_1@127.0.0.1",
                                "nöde@høst", "日本@東京", "x")),
                        weight(1, atoms().map(Atom::name)))
                .filter(name -> !name.equals("nonode@nohost"))
                .map(Atom::of);
    }

    // ---- Numbers ----

    /** The integers where the encoding changes, and their neighbours. */
    static List<BigInteger> integerEdges() {
        List<BigInteger> edges = new ArrayList<>();
        for (int bits : new int[] {0, 1, 7, 8, 15, 16, 27, 28, 31, 32, 53, 63, 64, 65, 127, 128, 1023, 1024,
            2039, 2040, 2041}) {
            BigInteger power = BigInteger.ONE.shiftLeft(bits);
            for (BigInteger value : new BigInteger[] {power.subtract(BigInteger.ONE), power, power.add(BigInteger.ONE)}) {
                edges.add(value);
                edges.add(value.negate());
            }
        }
        edges.add(BigInteger.ZERO);
        edges.add(BigInteger.valueOf(255));
        edges.add(BigInteger.valueOf(256));
        edges.add(BigInteger.valueOf(-256));
        return edges;
    }

    static Arbitrary<BigInteger> bigIntegers(int minBits, int maxBits) {
        return Combinators.combine(Arbitraries.integers().between(minBits, maxBits), Arbitraries.longs(),
                        Arbitraries.of(true, false))
                .as((bits, seed, negative) -> {
                    BigInteger value = new BigInteger(bits, new Random(seed)).setBit(bits - 1);
                    return negative ? value.negate() : value;
                });
    }

    static Arbitrary<Term> integers() {
        return Arbitraries.frequencyOf(
                        weight(4, Arbitraries.integers().between(-300, 300).map(BigInteger::valueOf)),
                        weight(3, Arbitraries.longs().map(BigInteger::valueOf)),
                        weight(3, Arbitraries.of(integerEdges())),
                        weight(2, bigIntegers(64, 600)),
                        weight(1, bigIntegers(2030, 2200)))
                .map(BigInt::of);
    }

    static Arbitrary<Double> doubles() {
        Arbitrary<Double> specials = Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MIN_NORMAL, -Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE,
                -Double.MAX_VALUE, 1.0, -1.0, 0.1, 0.5, 1e300, 1e-300, 9007199254740992.0, 9007199254740994.0,
                Math.scalb(1.0, 63), Math.scalb(1.0, 64), Math.scalb(1.0, 1023), 123456789.0, 1e15, 1e16, 1e22,
                1e23, 5e-324, 2.2250738585072014E-308);
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> subnormal = Combinators.combine(Arbitraries.longs().between(1, (1L << 52) - 1),
                Arbitraries.of(1.0, -1.0)).as((bits, sign) -> sign * Double.longBitsToDouble(bits));
        return Arbitraries.frequencyOf(
                weight(3, specials),
                weight(3, anyBits),
                weight(1, subnormal),
                weight(2, Arbitraries.doubles().between(-1e6, 1e6)),
                weight(1, Arbitraries.longs().between(-(1L << 60), 1L << 60).map(l -> (double) l)));
    }

    static Arbitrary<Term> floats() {
        return doubles().map(ErlFloat::new);
    }

    // ---- Bits ----

    static Arbitrary<Term> binaries() {
        return Arbitraries.frequencyOf(
                weight(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(48).map(Binary::of)),
                weight(2, Arbitraries.strings().ascii().ofMaxLength(30).map(Binary::of)),
                weight(2, unicodeStrings(20).map(Binary::of)),
                weight(1, Arbitraries.just(Binary.EMPTY)));
    }

    static Arbitrary<Term> bitstrings() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24),
                Arbitraries.integers().between(1, 7)).as(Bitstring::of);
    }

    // ---- Lists of characters ----

    static Arbitrary<Term> strings() {
        return Arbitraries.frequencyOf(
                weight(3, unicodeStrings(30).map(ErlList::ofString)),
                weight(2, Arbitraries.strings().ascii().ofMaxLength(30).map(ErlList::ofString)),
                // Lists of bytes are STRING_EXT; a larger integer makes the list a LIST_EXT.
                weight(2, Arbitraries.integers().between(0, 255).list().ofMaxSize(40).map(ErlList::of)),
                weight(1, Arbitraries.integers().between(-1, 1_114_111).list().ofMaxSize(10).map(ErlList::of)));
    }

    // ---- Identifiers ----

    static Arbitrary<Integer> u32s() {
        return Arbitraries.frequencyOf(
                weight(3, Arbitraries.integers()),
                weight(2, Arbitraries.integers().between(0, 1000)),
                weight(1, Arbitraries.of(0, 1, 2, 3, 4, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x0FFF_FFFF,
                        0x1000_0000)));
    }

    static Arbitrary<Term> pids() {
        return Combinators.combine(nodes(), u32s(), u32s(), u32s()).as(Pid::new);
    }

    static Arbitrary<Long> portIds() {
        return Arbitraries.frequencyOf(
                weight(2, Arbitraries.longs().between(0, 0x0FFF_FFFFL)),
                weight(1, Arbitraries.of(0L, 0x0FFF_FFFFL, 0x1000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L,
                        Long.MAX_VALUE, Long.MIN_VALUE, -1L)),
                weight(2, Arbitraries.longs()));
    }

    static Arbitrary<Term> ports() {
        return Combinators.combine(nodes(), portIds(), u32s()).as(Port::new);
    }

    static Arbitrary<Term> refs() {
        return Combinators.combine(nodes(), u32s(), u32s().list().ofMinSize(1).ofMaxSize(5))
                .as((node, creation, words) -> Ref.of(node, creation,
                        words.stream().mapToInt(Integer::intValue).toArray()));
    }

    static Arbitrary<Term> exportFuns() {
        return Combinators.combine(atoms(), atoms(), Arbitraries.frequencyOf(
                        weight(3, Arbitraries.integers().between(0, 5)),
                        weight(1, Arbitraries.integers().between(0, 255))))
                .as(ExportFun::new);
    }

    static Arbitrary<Term> identifiers() {
        return Arbitraries.oneOf(pids(), ports(), refs(), exportFuns());
    }

    // ---- Composite terms ----

    static Arbitrary<Term> scalars() {
        return Arbitraries.frequencyOf(
                weight(4, atoms()), weight(4, integers()), weight(4, floats()), weight(2, binaries()),
                weight(1, bitstrings()));
    }

    static Arbitrary<Term> leaves() {
        return Arbitraries.frequencyOf(
                weight(4, atoms()), weight(4, integers()), weight(3, floats()), weight(2, binaries()),
                weight(1, bitstrings()), weight(2, strings()),
                weight(1, Arbitraries.of(ErlList.NIL, Tuple.EMPTY, ErlMap.EMPTY)),
                weight(1, pids()), weight(1, ports()), weight(1, refs()), weight(1, exportFuns()));
    }

    /** Small terms for map keys, with numbers that are equal but not exactly equal (1 and 1.0). */
    static Arbitrary<Term> mapKeys() {
        Arbitrary<Term> numbers = Arbitraries.frequencyOf(
                weight(1, Arbitraries.integers().between(-2, 2).map(i -> (Term) Int.of(i))),
                weight(1, Arbitraries.of(-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0).map(d -> (Term) new ErlFloat(d))));
        Arbitrary<Term> wrapped = numbers.list().ofMaxSize(2).flatMap(elements ->
                Arbitraries.of(Tuple.of(elements), ErlList.of(elements)));
        Arbitrary<Term> smallMaps = Arbitraries.maps(numbers, numbers).ofMaxSize(2).map(ErlMap::of);
        return Arbitraries.frequencyOf(
                weight(4, numbers), weight(2, wrapped), weight(1, smallMaps), weight(4, leaves()));
    }

    static Arbitrary<Term> container(Arbitrary<Term> element) {
        Arbitrary<Term> notList = element.filter(term -> !(term instanceof ErlList));
        return Arbitraries.frequencyOf(
                weight(3, element.list().ofMaxSize(5).map(Tuple::of)),
                weight(3, element.list().ofMaxSize(5).map(ErlList::of)),
                weight(1, Combinators.combine(element.list().ofMinSize(1).ofMaxSize(4), notList)
                        .as(ErlList::improper)),
                weight(2, Arbitraries.maps(mapKeys(), element).ofMaxSize(5).map(ErlMap::of)));
    }

    /** Terms of every type nested up to {@code maxDepth} containers deep, of a few dozen leaves at most. */
    static Arbitrary<Term> terms(int maxDepth) {
        return Arbitraries.recursive(ErlangTermArbitraries::leaves,
                inner -> container(Arbitraries.frequencyOf(weight(1, inner), weight(2, leaves()))), 0, maxDepth);
    }

    /**
     * Terms nested {@code minDepth} to {@code maxDepth} deep: a chain of containers (tuples, lists
     * as element or improper tail, map values and keys) each holding the next with a few leaves.
     */
    static Arbitrary<Term> deepTerms(int minDepth, int maxDepth) {
        return Arbitraries.integers().between(minDepth, maxDepth).flatMap(depth -> {
            Arbitrary<Term> term = leaves();
            for (int i = 0; i < depth; i++) {
                term = wrap(term);
            }
            return term;
        });
    }

    private static Arbitrary<Term> wrap(Arbitrary<Term> inner) {
        return Combinators.combine(inner, leaves().list().ofMaxSize(2), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2)).as((term, siblings, kind, position) -> {
                    List<Term> elements = new ArrayList<>(siblings);
                    elements.add(Math.min(position, elements.size()), term);
                    switch (kind) {
                        case 0:
                            return Tuple.of(elements);
                        case 1:
                            return ErlList.of(elements);
                        case 2:
                            // The term as the tail of an improper list, or as its last element.
                            return term instanceof ErlList || siblings.isEmpty()
                                    ? ErlList.improper(List.of(Atom.of("head")), term)
                                    : ErlList.improper(List.of(term), siblings.get(0) instanceof ErlList
                                            ? Atom.of("tail") : siblings.get(0));
                        case 3: {
                            Map<Term, Term> map = new LinkedHashMap<>();
                            for (int i = 0; i < siblings.size(); i++) {
                                map.put(siblings.get(i), Int.of(i));
                            }
                            map.put(Atom.of("inner"), term);
                            return ErlMap.of(map);
                        }
                        default: {
                            Map<Term, Term> map = new LinkedHashMap<>();
                            map.put(term, Atom.of("key"));
                            for (Term sibling : siblings) {
                                map.put(sibling, sibling);
                            }
                            return ErlMap.of(map);
                        }
                    }
                });
    }

    /** Maps of {@code min} to {@code max} keys of mixed types, 1 and 1.0 among them. */
    static Arbitrary<Term> maps(int min, int max) {
        return Arbitraries.maps(mapKeys(), terms(1)).ofMinSize(min).ofMaxSize(max).map(ErlMap::of);
    }

    /** Whether a map of more than 32 keys is in {@code term}: OTP writes those in hash order. */
    static boolean containsLargeMap(Term term) {
        if (term instanceof ErlMap map) {
            if (map.size() > TermEncoder.FLATMAP_LIMIT) {
                return true;
            }
            for (Map.Entry<Term, Term> entry : map.asMap().entrySet()) {
                if (containsLargeMap(entry.getKey()) || containsLargeMap(entry.getValue())) {
                    return true;
                }
            }
        } else if (term instanceof Tuple tuple) {
            for (Term element : tuple.elements()) {
                if (containsLargeMap(element)) {
                    return true;
                }
            }
        } else if (term instanceof ErlList list) {
            for (Term element : list.elements()) {
                if (containsLargeMap(element)) {
                    return true;
                }
            }
            return !list.isProper() && containsLargeMap(list.tail());
        }
        return false;
    }

    // ---- Large terms ----

    static Arbitrary<Term> largeTerms() {
        Arbitrary<Term> largeBinaries = Arbitraries.integers().between(100 * 1024, 160 * 1024)
                .flatMap(size -> Arbitraries.longs().map(seed -> {
                    byte[] bytes = new byte[size];
                    new Random(seed).nextBytes(bytes);
                    return Binary.of(bytes);
                }));
        Arbitrary<Term> longStrings = Combinators.combine(Arbitraries.integers().between(65_536, 80_000),
                        Arbitraries.longs())
                .as((length, seed) -> {
                    Random random = new Random(seed);
                    StringBuilder text = new StringBuilder();
                    while (text.length() < length) {
                        int c = random.nextInt(4) == 0 ? 0x4E00 + random.nextInt(0x5000) : 'a' + random.nextInt(26);
                        text.appendCodePoint(c);
                    }
                    return ErlList.ofString(text.toString());
                });
        // 65535 bytes is the longest STRING_EXT; one more is a LIST_EXT of small integers.
        Arbitrary<Term> byteLists = Combinators.combine(Arbitraries.of(65_535, 65_536, 70_000),
                        Arbitraries.longs())
                .as((length, seed) -> {
                    Random random = new Random(seed);
                    Term[] elements = new Term[length];
                    for (int i = 0; i < length; i++) {
                        elements[i] = Int.of(random.nextInt(256));
                    }
                    return ErlList.of((Object[]) elements);
                });
        Arbitrary<Term> largeTuples = leaves().list().ofMinSize(254).ofMaxSize(600).map(Tuple::of);
        Arbitrary<Term> hugeIntegers = bigIntegers(2041, 40_000).map(BigInt::of);
        return Arbitraries.oneOf(largeBinaries, longStrings, byteLists, largeTuples, hugeIntegers);
    }
}
