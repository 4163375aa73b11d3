package io.jdist.term;

import io.jdist.testing.ErlangEtfPeer;
import io.jdist.testing.SkipWithoutErlang;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static io.jdist.term.ErlangTermArbitraries.weight;

/**
 * Random terms of every type, checked against a real Erlang (one {@code erl} for the class): Erlang
 * decodes jdist's encoding to the same term, {@code term_to_binary} gives jdist's bytes exactly,
 * and jdist decodes Erlang's bytes back and encodes them again byte for byte; and jdist's term order
 * and equality agree with Erlang's {@code <}, {@code ==} and {@code =:=}. Without Erlang on the
 * {@code PATH} the properties are skipped (they fail on CI).
 */
@AddLifecycleHook(SkipWithoutErlang.class)
class ErlangTermPropertiesTest {

    private static ErlangEtfPeer erlang;

    @BeforeContainer
    static void startErlang() {
        erlang = ErlangEtfPeer.start();
    }

    @AfterContainer
    static void stopErlang() {
        if (erlang != null) {
            erlang.close();
            erlang = null;
        }
    }

    private static void assertRoundTrips(Term term) {
        // OTP writes maps of more than 32 keys (hashmaps) in the order of its internal hash of the
        // keys, which jdist does not reproduce: it writes them in the map's own order, and a map
        // decoded from Erlang keeps Erlang's order. Bytes are compared only for terms without such
        // maps; the values are compared either way.
        erlang.assertRoundTrips(term, !ErlangTermArbitraries.containsLargeMap(term));
    }

    // ---- (a) Round trips, 10,340 tries in all ----

    @Property(tries = 3000)
    void atomsNumbersBinariesAndBitstringsRoundTripByteForByte(@ForAll("scalars") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 1500)
    void pidsPortsRefsAndExportFunsRoundTripByteForByte(@ForAll("identifiers") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 3500)
    void nestedTermsOfEveryTypeRoundTripByteForByte(@ForAll("terms") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 500)
    void termsNestedUpTo50DeepRoundTripByteForByte(@ForAll("deepTerms") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 500)
    void stringsAndListsRoundTripByteForByte(@ForAll("lists") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 1000)
    void mapsOfUpTo32MixedKeysRoundTripByteForByte(@ForAll("smallMaps") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 300)
    void mapsOfMoreThan32KeysRoundTripAsValues(@ForAll("largeMaps") Term term) {
        assertRoundTrips(term);
    }

    @Property(tries = 40)
    void largeBinariesStringsListsTuplesAndIntegersRoundTripByteForByte(@ForAll("largeTerms") Term term) {
        assertRoundTrips(term);
    }

    // ---- (b) term_to_binary's options on random terms (the fixed corpus is in ErlangTermInteropTest) ----

    @Property(tries = 600)
    void termToBinaryOptionsGiveJdistsBytes(@ForAll("terms") Term term, @ForAll("options") ErlList options) {
        byte[] erlangBytes = erlang.termToBinary(term, options);
        Term decoded;
        try {
            decoded = TermDecoder.standard().decode(erlangBytes);
        } catch (RuntimeException e) {
            throw new AssertionError("jdist cannot decode term_to_binary(T, " + options + "): " + e + "\n"
                    + ErlangEtfPeer.describe(term), e);
        }
        if (!ErlangEtfPeer.identical(decoded, term)) {
            throw new AssertionError("jdist decodes term_to_binary(T, " + options + ") to a different term\n"
                    + ErlangEtfPeer.describe(term) + "\n  decoded: " + decoded);
        }
        if (options.elements().contains(Tuple.of(Atom.of("minor_version"), 0))) {
            return; // jdist decodes minor version 0 (FLOAT_EXT) but does not write it
        }
        TermEncoder encoder = ErlangEtfPeer.encoderFor(options);
        // A decoded map keeps Erlang's order, so even maps of more than 32 keys encode back exactly.
        byte[] again = encoder.encode(decoded);
        if (!Arrays.equals(again, erlangBytes)) {
            throw new AssertionError("jdist does not encode term_to_binary(T, " + options + ") again exactly\n"
                    + ErlangEtfPeer.describe(term) + "\n" + ErlangEtfPeer.bytesDiff("jdist", again, "erlang", erlangBytes));
        }
        if (!ErlangTermArbitraries.containsLargeMap(term)) {
            byte[] javaBytes = encoder.encode(term);
            if (!Arrays.equals(javaBytes, erlangBytes)) {
                throw new AssertionError("jdist's bytes differ from term_to_binary(T, " + options + ")\n"
                        + ErlangEtfPeer.describe(term) + "\n" + ErlangEtfPeer.bytesDiff("jdist", javaBytes, "erlang", erlangBytes));
            }
        }
    }

    // ---- (c) Order and equality, 2,500 tries in all ----

    @Property(tries = 1000)
    void compareToAndEqualsAgreeWithErlangOnRandomPairs(@ForAll("terms") Term a, @ForAll("terms") Term b) {
        erlang.assertComparesLikeErlang(a, b);
    }

    @Property(tries = 1500)
    void compareToAndEqualsAgreeWithErlangOnNearlyEqualPairs(@ForAll("closePairs") List<Term> pair) {
        erlang.assertComparesLikeErlang(pair.get(0), pair.get(1));
    }

    // ---- Generators ----

    @Provide
    Arbitrary<Term> scalars() {
        return ErlangTermArbitraries.scalars();
    }

    @Provide
    Arbitrary<Term> identifiers() {
        return Arbitraries.frequencyOf(
                weight(4, ErlangTermArbitraries.identifiers()),
                weight(1, ErlangTermArbitraries.identifiers().list().ofMinSize(2).ofMaxSize(6).map(Tuple::of)));
    }

    @Provide
    Arbitrary<Term> terms() {
        return ErlangTermArbitraries.terms(5);
    }

    /** term_to_binary options: minor versions 0 to 2 and compression levels 0 to 9. */
    @Provide
    Arbitrary<ErlList> options() {
        Atom compressed = Atom.of("compressed");
        Arbitrary<List<Term>> minor = Arbitraries.of(List.<Term>of(), List.<Term>of(Tuple.of(Atom.of("minor_version"), 0)),
                List.<Term>of(Tuple.of(Atom.of("minor_version"), 1)), List.<Term>of(Tuple.of(Atom.of("minor_version"), 2)));
        Arbitrary<List<Term>> compression = Arbitraries.frequencyOf(
                weight(2, Arbitraries.just(List.<Term>of())),
                weight(2, Arbitraries.just(List.<Term>of(compressed))),
                weight(3, Arbitraries.integers().between(0, 9).map(level -> List.<Term>of(Tuple.of(compressed, level)))));
        return Combinators.combine(minor, compression).as((m, c) -> {
            List<Term> all = new ArrayList<>(m);
            all.addAll(c);
            return ErlList.of(all);
        });
    }

    @Provide
    Arbitrary<Term> deepTerms() {
        return ErlangTermArbitraries.deepTerms(20, 50);
    }

    @Provide
    Arbitrary<Term> lists() {
        Arbitrary<Term> element = ErlangTermArbitraries.terms(1);
        return Arbitraries.frequencyOf(
                weight(3, ErlangTermArbitraries.strings()),
                weight(2, element.list().ofMaxSize(8).map(ErlList::of)),
                weight(2, Combinators.combine(element.list().ofMinSize(1).ofMaxSize(6),
                        element.filter(t -> !(t instanceof ErlList))).as(ErlList::improper)),
                // A string with an improper tail, and a list of bytes that is not a string.
                weight(1, Combinators.combine(ErlangTermArbitraries.unicodeStrings(10).filter(s -> !s.isEmpty()),
                        ErlangTermArbitraries.leaves().filter(t -> !(t instanceof ErlList)))
                        .as((s, tail) -> ErlList.improper(ErlList.ofString(s).elements(), tail))));
    }

    @Provide
    Arbitrary<Term> smallMaps() {
        return Arbitraries.frequencyOf(
                weight(3, ErlangTermArbitraries.maps(0, 8)),
                weight(2, ErlangTermArbitraries.maps(24, 32)),
                weight(1, ErlangTermArbitraries.maps(0, 32)),
                weight(1, Arbitraries.just(ErlMap.of(1, Atom.of("integer"), 1.0, Atom.of("float")))));
    }

    @Provide
    Arbitrary<Term> largeMaps() {
        return Arbitraries.frequencyOf(
                weight(3, ErlangTermArbitraries.maps(33, 64)),
                weight(1, ErlangTermArbitraries.maps(65, 150)),
                // A large map inside small containers.
                weight(1, ErlangTermArbitraries.maps(33, 40).map(map -> Tuple.of(Atom.OK, ErlMap.of(Atom.of("m"), map)))));
    }

    @Provide
    Arbitrary<Term> largeTerms() {
        return ErlangTermArbitraries.largeTerms();
    }

    @Provide
    Arbitrary<List<Term>> closePairs() {
        return Arbitraries.frequencyOf(
                weight(3, pairsFrom(Arbitraries.of(nearlyEqualNumbers()))),
                weight(2, intsAndFloatsOfTheSameValue()),
                weight(2, pairsFrom(Arbitraries.of(nearlyEqualContainers()))),
                weight(2, pairsFrom(bitstringsAndPrefixes())),
                weight(3, pairsFrom(identifierVariants())),
                weight(1, refsDifferingInTheirHighWords()),
                weight(1, pairsFrom(Arbitraries.of(nearlyEqualAtoms()))),
                weight(2, pairsFrom(ErlangTermArbitraries.mapKeys())),
                weight(1, pairsFrom(ErlangTermArbitraries.terms(2))));
    }

    private static Arbitrary<List<Term>> pairsFrom(Arbitrary<Term> terms) {
        return Combinators.combine(terms, terms).as(List::of);
    }

    /** Numbers on both sides of where doubles stop being exact (2^53) and of the largest double. */
    private static List<Term> nearlyEqualNumbers() {
        List<Term> numbers = new ArrayList<>();
        for (BigInteger power : new BigInteger[] {BigInteger.ONE.shiftLeft(53), BigInteger.ONE.shiftLeft(63),
            BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(1023), BigInteger.ONE.shiftLeft(1024)}) {
            for (int delta = -2; delta <= 2; delta++) {
                numbers.add(BigInt.of(power.add(BigInteger.valueOf(delta))));
                numbers.add(BigInt.of(power.add(BigInteger.valueOf(delta)).negate()));
            }
            double d = power.doubleValue();
            if (Double.isFinite(d)) {
                for (double f : new double[] {d, Math.nextUp(d), Math.nextDown(d)}) {
                    numbers.add(new ErlFloat(f));
                    numbers.add(new ErlFloat(-f));
                }
            }
        }
        numbers.add(BigInt.of(new java.math.BigDecimal(Double.MAX_VALUE).toBigInteger()));
        numbers.add(BigInt.of(new java.math.BigDecimal(Double.MAX_VALUE).toBigInteger().add(BigInteger.ONE)));
        for (double f : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 0.0, -0.0, 1.0, -1.0, 0.5,
            Double.MIN_VALUE, -Double.MIN_VALUE}) {
            numbers.add(new ErlFloat(f));
        }
        for (long i : new long[] {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE}) {
            numbers.add(Int.of(i));
        }
        return numbers;
    }

    /** An integer and the float of (about) the same value, in either order. */
    private static Arbitrary<List<Term>> intsAndFloatsOfTheSameValue() {
        Arbitrary<BigInteger> values = Arbitraries.frequencyOf(
                weight(2, Arbitraries.longs().between(-1000, 1000).map(BigInteger::valueOf)),
                weight(2, Arbitraries.longs().map(BigInteger::valueOf)),
                weight(2, ErlangTermArbitraries.bigIntegers(54, 1024)));
        return Combinators.combine(values, Arbitraries.integers().between(-1, 1), Arbitraries.of(true, false))
                .as((value, ulps, swap) -> {
                    double d = value.doubleValue();
                    d = ulps < 0 ? Math.nextDown(d) : ulps > 0 ? Math.nextUp(d) : d;
                    Term integer = BigInt.of(value);
                    Term number = Double.isFinite(d) ? new ErlFloat(d) : new ErlFloat(Double.MAX_VALUE);
                    return swap ? List.of(number, integer) : List.of(integer, number);
                });
    }

    private static List<Term> nearlyEqualContainers() {
        Atom a = Atom.of("a");
        return List.of(
                ErlMap.of(1, a), ErlMap.of(1.0, a), ErlMap.of(2, a), ErlMap.of(1, Atom.of("b")),
                ErlMap.of(1, a, 2.0, a), ErlMap.of(1.0, a, 2, a), ErlMap.of(1, a, 2, a), ErlMap.of(0.5, a, 3, a),
                ErlMap.of(Tuple.of(1), a), ErlMap.of(Tuple.of(1.0), a), ErlMap.of(a, 1), ErlMap.of(a, 1.0),
                ErlMap.of(Atom.of("b"), 0), ErlMap.EMPTY,
                ErlList.of(1, 2), ErlList.of(1, 2, 3), ErlList.of(1, 2.0), ErlList.improper(List.of(Int.of(1), Int.of(2)), Int.of(3)),
                ErlList.improper(List.of(Int.of(1)), a), ErlList.improper(List.of(Int.of(1)), Binary.of("x")),
                ErlList.improper(List.of(Int.of(1)), Tuple.EMPTY), ErlList.improper(List.of(Int.of(1), Int.of(2)), Int.of(4)),
                ErlList.improper(List.of(Int.of(1)), Bitstring.of(new byte[] {1}, 1)), ErlList.of(1), ErlList.NIL,
                ErlList.improper(List.of(Int.of(1)), ErlMap.EMPTY), ErlList.improper(List.of(Int.of(1)), new ErlFloat(2.0)),
                Tuple.of(1, 2), Tuple.of(1, 2.0), Tuple.of(1, 3), Tuple.of(2), Tuple.of(1, 2, 0), Tuple.EMPTY,
                ErlList.ofString("abc"), ErlList.ofString("abd"), ErlList.ofString("ab"), Binary.of("abc"));
    }

    private static Arbitrary<Term> bitstringsAndPrefixes() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(4),
                        Arbitraries.integers().between(0, 32))
                .as((bytes, cut) -> Bitstring.bits(bytes, Math.min(cut, 8L * bytes.length)));
    }

    /** Pids, ports and refs that differ from each other in one field. */
    private static Arbitrary<Term> identifierVariants() {
        Arbitrary<Atom> nodes = Arbitraries.of("a@h", "b@h", "a@i", "é@h").map(Atom::of);
        Arbitrary<Integer> small = Arbitraries.of(0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF);
        Arbitrary<Term> pids = Combinators.combine(nodes, small, small, small).as(Pid::new);
        Arbitrary<Term> ports = Combinators.combine(nodes, Arbitraries.of(0L, 1L, 0x0FFF_FFFFL, 0x1000_0000L, -1L,
                Long.MAX_VALUE, Long.MIN_VALUE), small).as(Port::new);
        Arbitrary<Term> refs = Combinators.combine(nodes, small, small.list().ofMinSize(1).ofMaxSize(5))
                .as((node, creation, words) -> Ref.of(node, creation,
                        words.stream().mapToInt(Integer::intValue).toArray()));
        Arbitrary<Term> exports = Combinators.combine(Arbitraries.of("a", "b", "é").map(Atom::of),
                Arbitraries.of("f", "g").map(Atom::of), Arbitraries.of(0, 1, 255)).as(ExportFun::new);
        return Arbitraries.oneOf(pids, ports, refs, exports);
    }

    /** References of the same node and creation whose words differ only past the shorter one. */
    private static Arbitrary<List<Term>> refsDifferingInTheirHighWords() {
        Arbitrary<List<Integer>> words = Arbitraries.of(0, 1, 0xFFFF_FFFF).list().ofMinSize(1).ofMaxSize(5);
        return Combinators.combine(words, words).as((a, b) -> {
            List<Integer> longer = new ArrayList<>(a);
            for (int i = a.size(); i < b.size(); i++) {
                longer.add(b.get(i));
            }
            return List.of(ref(a), ref(longer));
        });
    }

    private static Term ref(List<Integer> words) {
        return Ref.of(Atom.of("a@h"), 1, words.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<Term> nearlyEqualAtoms() {
        List<Term> atoms = new ArrayList<>();
        for (String name : new String[] {"", "a", "ab", "b", "Z", "z", "é", "ÿ", "\u0100", "\uFFFF", "\uD800\uDC00",
            "😀", "a😀", "a\uFFFF", "aé", "a\u0000"}) {
            atoms.add(Atom.of(name));
        }
        return atoms;
    }
}
