package io.jdist.term;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * An Erlang term: an immutable value of one of Erlang's types.
 *
 * <p>{@link #equals(Object)} is Erlang's exact equality {@code =:=} ({@code 1} and {@code 1.0}
 * differ; the order of a map's keys does not matter) and {@link #compareTo(Term)} is Erlang's term
 * order ({@code number < atom < reference < fun < port < pid < tuple < map < [] < list <
 * bitstring}), under which {@code 1} and {@code 1.0} compare as equal, as with Erlang's {@code ==}.
 * {@link #toString()} prints Erlang syntax that {@link TermParser} reads back.
 *
 * <p>The type is sealed, so on Java 21 and later a message can be taken apart with {@code switch}
 * patterns:
 *
 * <pre>{@code
 * switch (message) {
 *     case Tuple t when t.arity() == 2 && t.get(0).equals(Atom.OK) -> handle(t.get(1));
 *     case Atom(String name) -> System.out.println("atom " + name);
 *     default -> System.out.println("other " + message);
 * }
 * }</pre>
 */
public sealed interface Term extends Comparable<Term>
        permits Atom, Int, BigInt, ErlFloat, Binary, Bitstring, Tuple, ErlList, ErlMap,
                Pid, Port, Ref, ExportFun, Closure {

    /** Compares by Erlang's term order, in which numbers of different types compare by value. */
    @Override
    default int compareTo(Term other) {
        return TermOrder.compare(this, other);
    }

    /**
     * Converts a Java value to a term.
     *
     * <table>
     *   <caption>Conversions</caption>
     *   <tr><th>Java</th><th>Erlang</th></tr>
     *   <tr><td>{@link Term}</td><td>itself</td></tr>
     *   <tr><td>{@code Byte}, {@code Short}, {@code Integer}, {@code Long}</td><td>integer</td></tr>
     *   <tr><td>{@link BigInteger}</td><td>integer</td></tr>
     *   <tr><td>{@code Float}, {@code Double}</td><td>float (finite values only)</td></tr>
     *   <tr><td>{@code Boolean}</td><td>the atom {@code true} or {@code false}</td></tr>
     *   <tr><td>{@code Character}</td><td>integer (the character's code)</td></tr>
     *   <tr><td>{@link String}</td><td>UTF-8 binary, as Elixir strings are ({@link
     *       ErlList#ofString} makes an Erlang charlist)</td></tr>
     *   <tr><td>{@code byte[]}</td><td>binary (copied)</td></tr>
     *   <tr><td>{@link Collection}</td><td>proper list, elements converted in iteration order</td></tr>
     *   <tr><td>{@link Map}</td><td>map, keys and values converted</td></tr>
     * </table>
     *
     * @throws IllegalArgumentException for any other type, naming it
     * @throws NullPointerException for {@code null}, which has no Erlang counterpart
     */
    static Term of(Object value) {
        Objects.requireNonNull(value, "null has no Erlang term; use an atom such as 'nil' or 'undefined'");
        if (value instanceof Term term) {
            return term;
        } else if (value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte) {
            return Int.of(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            return BigInt.of(big);
        } else if (value instanceof Double || value instanceof Float) {
            return new ErlFloat(((Number) value).doubleValue());
        } else if (value instanceof Boolean bool) {
            return bool ? Atom.TRUE : Atom.FALSE;
        } else if (value instanceof Character c) {
            return Int.of(c);
        } else if (value instanceof String string) {
            return Binary.of(string);
        } else if (value instanceof byte[] bytes) {
            return Binary.of(bytes);
        } else if (value instanceof Collection<?> collection) {
            return ErlList.of(collection);
        } else if (value instanceof Map<?, ?> map) {
            return ErlMap.of(map);
        }
        throw new IllegalArgumentException("cannot convert " + value.getClass().getName() + " to an Erlang term");
    }
}
