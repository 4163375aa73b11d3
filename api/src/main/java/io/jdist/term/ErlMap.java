package io.jdist.term;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An Erlang map, such as {@code #{name => <<"Ada">>, age => 36}}. Keys are distinct under exact
 * equality, so {@code 1} and {@code 1.0} are different keys, as in Erlang.
 */
public final class ErlMap implements Term {

    /** The empty map {@code #{}}. */
    public static final ErlMap EMPTY = new ErlMap(Map.of());

    private final Map<Term, Term> entries;
    /** The keys in Erlang's map key order, computed on first use. */
    private volatile Term[] sortedKeys;
    private volatile Term[] encodingOrder;

    private ErlMap(Map<Term, Term> entries) {
        this.entries = entries;
    }

    /**
     * Returns the map of alternating keys and values, each converted by {@link Term#of(Object)}:
     * {@code ErlMap.of(Atom.of("a"), 1, Atom.of("b"), 2)}.
     *
     * @throws IllegalArgumentException for an odd number of arguments or a repeated key
     */
    public static ErlMap of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected keys and values in pairs but got "
                    + keysAndValues.length + " arguments");
        }
        Map<Term, Term> map = new LinkedHashMap<>(keysAndValues.length);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Term key = Term.of(keysAndValues[i]);
            if (map.put(key, Term.of(keysAndValues[i + 1])) != null) {
                throw new IllegalArgumentException("repeated map key " + key);
            }
        }
        return ofOwned(map);
    }

    /** Returns the map of {@code map}'s entries, keys and values converted by {@link Term#of(Object)}. */
    public static ErlMap of(Map<?, ?> map) {
        Map<Term, Term> copy = new LinkedHashMap<>(map.size() * 2);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Term key = Term.of(entry.getKey());
            if (copy.put(key, Term.of(entry.getValue())) != null) {
                throw new IllegalArgumentException("map keys " + key + " collide after conversion to terms");
            }
        }
        return ofOwned(copy);
    }

    /** Takes ownership of {@code map}. */
    static ErlMap ofOwned(Map<Term, Term> map) {
        return map.isEmpty() ? EMPTY : new ErlMap(Collections.unmodifiableMap(map));
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** The value for {@code key}, or {@code null}. */
    public Term get(Term key) {
        return entries.get(key);
    }

    /** The value for {@code key} converted by {@link Term#of(Object)}, or {@code null}. */
    public Term get(Object key) {
        return entries.get(Term.of(key));
    }

    /** The entries as an unmodifiable Java map. */
    public Map<Term, Term> asMap() {
        return entries;
    }

    /**
     * The keys in Erlang's map key order: term order, except that every integer sorts before every
     * float. Erlang encodes and prints small maps in this order.
     */
    Term[] sortedKeys() {
        Term[] keys = sortedKeys;
        if (keys == null) {
            keys = entries.keySet().toArray(new Term[0]);
            Arrays.sort(keys, TermOrder::compareMapKeys);
            sortedKeys = keys;
        }
        return keys;
    }

    /**
     * Keys and values interleaved in the order the encoder writes them: Erlang's key order for maps
     * of up to {@link TermEncoder#FLATMAP_LIMIT} keys, as OTP writes its flatmaps, iteration order
     * beyond. Cached: maps are immutable, and encoding walks this twice (sizing, then writing).
     */
    Term[] encodingOrder() {
        Term[] order = encodingOrder;
        if (order == null) {
            order = new Term[2 * entries.size()];
            int i = 0;
            if (entries.size() <= TermEncoder.FLATMAP_LIMIT) {
                for (Term key : sortedKeys()) {
                    order[i++] = key;
                    order[i++] = entries.get(key);
                }
            } else {
                for (Map.Entry<Term, Term> entry : entries.entrySet()) {
                    order[i++] = entry.getKey();
                    order[i++] = entry.getValue();
                }
            }
            encodingOrder = order;
        }
        return order;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErlMap that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(entries) + 11;
    }

    /** The map in Erlang syntax with its keys in map key order: {@code #{a => 1, b => 2}}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
