package io.jdist.term;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An Erlang map, such as {@code #{name => <<"Ada">>, age => 36}}. Keys are distinct under exact
 * equality, so {@code 1} and {@code 1.0} are different keys, as in Erlang.
 */
public final class ErlMap implements Term {

    /** The empty map {@code #{}}. */
    public static final ErlMap EMPTY = new ErlMap(new Term[0], 0, null);

    /** Keys and values alternating, in the order the keys were added. */
    private final Term[] entries;
    private final int size;
    /** Where each key is in {@link #entries}, by hash; {@code null} when there are few enough keys to scan. */
    private final int[] index;
    private int hash;
    /** The keys in Erlang's map key order, computed on first use. */
    private volatile Term[] sortedKeys;
    private volatile Term[] encodingOrder;
    private volatile Map<Term, Term> view;

    private ErlMap(Term[] entries, int size, int[] index) {
        this.entries = entries;
        this.size = size;
        this.index = index;
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
        Builder map = new Builder(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Term key = Term.of(keysAndValues[i]);
            if (!map.put(key, Term.of(keysAndValues[i + 1]))) {
                throw new IllegalArgumentException("repeated map key " + key);
            }
        }
        return map.build();
    }

    /** Returns the map of {@code map}'s entries, keys and values converted by {@link Term#of(Object)}. */
    public static ErlMap of(Map<?, ?> map) {
        Builder copy = new Builder(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Term key = Term.of(entry.getKey());
            if (!copy.put(key, Term.of(entry.getValue()))) {
                throw new IllegalArgumentException("map keys " + key + " collide after conversion to terms");
            }
        }
        return copy.build();
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The value for {@code key}, or {@code null}. */
    public Term get(Term key) {
        int i = find(entries, size, index, key);
        return i < 0 ? null : entries[i + 1];
    }

    /** The value for {@code key} converted by {@link Term#of(Object)}, or {@code null}. */
    public Term get(Object key) {
        return get(Term.of(key));
    }

    /** The entries as an unmodifiable Java map, iterating in the order the keys were added. */
    public Map<Term, Term> asMap() {
        Map<Term, Term> map = view;
        if (map == null) {
            map = new View(this);
            view = map;
        }
        return map;
    }

    /**
     * The keys in Erlang's map key order: term order, except that every integer sorts before every
     * float. Erlang encodes and prints small maps in this order.
     */
    Term[] sortedKeys() {
        Term[] keys = sortedKeys;
        if (keys == null) {
            keys = new Term[size];
            for (int i = 0; i < size; i++) {
                keys[i] = entries[2 * i];
            }
            Arrays.sort(keys, TermOrder::compareMapKeys);
            sortedKeys = keys;
        }
        return keys;
    }

    /**
     * Keys and values interleaved in the order the encoder writes them: Erlang's key order for maps
     * of up to {@link TermEncoder#FLATMAP_LIMIT} keys, as OTP writes its flatmaps, the order the keys
     * were added beyond. Cached: maps are immutable, and encoding may walk this twice (sizing, then
     * writing). The caller must not change it.
     */
    Term[] encodingOrder() {
        if (size > TermEncoder.FLATMAP_LIMIT) {
            return entries;
        }
        Term[] order = encodingOrder;
        if (order == null) {
            order = new Term[2 * size];
            int i = 0;
            for (Term key : sortedKeys()) {
                order[i++] = key;
                order[i++] = get(key);
            }
            encodingOrder = order;
        }
        return order;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ErlMap that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < 2 * size; i += 2) {
            if (!entries[i + 1].equals(that.get(entries[i]))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link Map#hashCode()} of {@link #asMap()}, plus 11. */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            for (int i = 0; i < 2 * size; i += 2) {
                h += entries[i].hashCode() ^ entries[i + 1].hashCode();
            }
            h += 11;
            hash = h;
        }
        return h;
    }

    /** The map in Erlang syntax with its keys in map key order: {@code #{a => 1, b => 2}}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }

    /** Maps of at most this many keys have no index: scanning them is as fast as hashing. */
    private static final int SCANNED = 8;

    /** The position in {@code entries} of {@code key}, or -1. */
    private static int find(Term[] entries, int size, int[] index, Term key) {
        if (index == null) {
            for (int i = 0; i < 2 * size; i += 2) {
                if (entries[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = spread(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int at = index[slot];
            if (at == 0) {
                return -1;
            }
            if (entries[2 * (at - 1)].equals(key)) {
                return 2 * (at - 1);
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /**
     * Collects the entries of a new map, refusing repeated keys; what the factories and the decoder
     * build maps with. The index is kept as keys arrive, so that a repeated key is found when it is
     * added, at no more cost than building the map.
     */
    static final class Builder {

        /** Room reserved before any entry arrives at most, whatever the expected size. */
        private static final int MAX_RESERVED = 1 << 12;

        private final int expected;
        private Term[] entries;
        private int size;
        private int[] index;

        /** A builder expecting {@code expected} entries; more may come. */
        Builder(int expected) {
            this.expected = expected;
            int reserved = Math.min(expected, MAX_RESERVED);
            entries = new Term[2 * reserved];
            if (reserved > SCANNED) {
                index = new int[tableSize(reserved)];
            }
        }

        /** Adds an entry, unless the key is already there: then returns {@code false} and adds nothing. */
        boolean put(Term key, Term value) {
            if (find(entries, size, index, key) >= 0) {
                return false;
            }
            if (2 * size == entries.length) {
                entries = Arrays.copyOf(entries, Math.max(8, 2 * entries.length));
            }
            entries[2 * size] = key;
            entries[2 * size + 1] = value;
            size++;
            if (index != null && 2 * size <= index.length) {
                insert(index, key, size);
            } else if (size > SCANNED) {
                reindex();
            }
            return true;
        }

        /** The number of entries given to the constructor. */
        int expected() {
            return expected;
        }

        ErlMap build() {
            if (size == 0) {
                return EMPTY;
            }
            Term[] exact = entries.length == 2 * size ? entries : Arrays.copyOf(entries, 2 * size);
            return new ErlMap(exact, size, index);
        }

        private void reindex() {
            index = new int[tableSize(size)];
            for (int i = 0; i < size; i++) {
                insert(index, entries[2 * i], i + 1);
            }
        }

        private static void insert(int[] index, Term key, int entry) {
            int mask = index.length - 1;
            int slot = spread(key.hashCode()) & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = entry;
        }

        /** A power of two at least twice {@code keys}, so that probes stay short. */
        private static int tableSize(int keys) {
            return Integer.highestOneBit(Math.max(2, 2 * keys - 1)) << 1;
        }
    }

    /** {@link #asMap()}: a read-only view of the arrays. */
    private static final class View extends AbstractMap<Term, Term> {

        private final ErlMap map;

        View(ErlMap map) {
            this.map = map;
        }

        @Override
        public int size() {
            return map.size;
        }

        @Override
        public Term get(Object key) {
            return key instanceof Term term ? map.get(term) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<Term, Term>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return map.size;
                }

                @Override
                public Iterator<Entry<Term, Term>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < map.size;
                        }

                        @Override
                        public Entry<Term, Term> next() {
                            if (next >= map.size) {
                                throw new NoSuchElementException();
                            }
                            int i = 2 * next++;
                            return Map.entry(map.entries[i], map.entries[i + 1]);
                        }
                    };
                }
            };
        }
    }
}
