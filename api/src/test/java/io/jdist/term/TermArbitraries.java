package io.jdist.term;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of arbitrary terms of every type, nested a few levels deep. */
final class TermArbitraries {

    private TermArbitraries() {
    }

    /** Any term, nested up to four levels deep. */
    static Arbitrary<Term> terms() {
        return Arbitraries.recursive(TermArbitraries::leaves, TermArbitraries::containers, 0, 4);
    }

    /** Containers of {@code inner} terms, or the inner terms themselves. */
    private static Arbitrary<Term> containers(Arbitrary<Term> inner) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, inner),
                net.jqwik.api.Tuple.of(2, inner.list().ofMaxSize(4).map(Tuple::of)),
                net.jqwik.api.Tuple.of(2, inner.list().ofMaxSize(4).map(ErlList::of)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(inner.list().ofMinSize(1).ofMaxSize(3), leaves())
                        .as(ErlList::improper)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(inner.list().ofMaxSize(4), inner.list().ofMaxSize(4))
                        .as(TermArbitraries::map)));
    }

    private static Term map(List<Term> keys, List<Term> values) {
        Map<Term, Term> map = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            map.putIfAbsent(keys.get(i), values.get(i));
        }
        return ErlMap.of(map);
    }

    static Arbitrary<Term> leaves() {
        return Arbitraries.oneOf(List.of(
                atoms().map(a -> (Term) a),
                integers(),
                floats(),
                binaries(),
                bitstrings(),
                strings(),
                pids(),
                ports(),
                refs(),
                exportFuns()));
    }

    static Arbitrary<Atom> atoms() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '@', 'A', ' ').ofMaxLength(12);
        Arbitrary<String> latin1 = Arbitraries.strings().withCharRange('\u0080', '\u00FF').ofMaxLength(10);
        Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u0100', '\uD7FF').ofMaxLength(90);
        Arbitrary<String> emoji = Arbitraries.integers().between(0, 255).map(n -> "😀".repeat(n));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, ascii),
                        net.jqwik.api.Tuple.of(2, latin1),
                        net.jqwik.api.Tuple.of(2, unicode),
                        net.jqwik.api.Tuple.of(1, emoji),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("ok", "error", "true", "false", "", "a@host")))
                .map(Atom::of);
    }

    static Arbitrary<Term> integers() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().between(-300, 300).map(Int::of),
                Arbitraries.longs().map(Int::of),
                Arbitraries.of(0L, 255L, 256L, -1L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE,
                        Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE).map(Int::of),
                Arbitraries.integers().between(64, 2100).flatMap(bits -> Arbitraries.integers().between(0, 1)
                        .map(negative -> {
                            BigInteger value = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.valueOf(bits * 7919L));
                            return BigInt.of(negative == 1 ? value.negate() : value);
                        }))));
    }

    static Arbitrary<Term> floats() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.doubles().map(ErlFloat::of),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite).map(ErlFloat::of),
                Arbitraries.of(0.0, -0.0, 1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE).map(ErlFloat::of)));
    }

    static Arbitrary<Term> binaries() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Binary::of);
    }

    static Arbitrary<Term> bitstrings() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6),
                Arbitraries.integers().between(1, 7)).as(Bitstring::of);
    }

    static Arbitrary<Term> strings() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.strings().withCharRange('\u0001', '\u00FF').ofMinLength(1).ofMaxLength(20).map(ErlList::ofString),
                Arbitraries.strings().ofMaxLength(10).map(ErlList::ofString),
                Arbitraries.strings().ofMaxLength(10).map(Binary::of)));
    }

    private static Arbitrary<Atom> nodes() {
        return Arbitraries.of("a@host", "nonode@nohost", "b@höst", "日@host").map(Atom::of);
    }

    static Arbitrary<Term> pids() {
        return Combinators.combine(nodes(), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
                .as(Pid::new);
    }

    static Arbitrary<Term> ports() {
        return Combinators.combine(nodes(),
                        Arbitraries.oneOf(List.of(Arbitraries.longs().between(0, (1L << 28) + 5), Arbitraries.longs())),
                        Arbitraries.integers())
                .as(Port::new);
    }

    static Arbitrary<Term> refs() {
        return Combinators.combine(nodes(), Arbitraries.integers(),
                        Arbitraries.integers().array(int[].class).ofMinSize(1).ofMaxSize(5))
                .as(Ref::of);
    }

    static Arbitrary<Term> exportFuns() {
        return Combinators.combine(atoms(), atoms(), Arbitraries.integers().between(0, 255)).as(ExportFun::new);
    }
}
