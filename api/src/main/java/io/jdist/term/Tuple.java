package io.jdist.term;

import java.util.Arrays;
import java.util.List;

/** An Erlang tuple: a fixed number of terms, such as {@code {ok, 42}}. */
public final class Tuple implements Term {

    /** The empty tuple {@code {}}. */
    public static final Tuple EMPTY = new Tuple(new Term[0]);

    private final Term[] elements;

    private Tuple(Term[] elements) {
        this.elements = elements;
    }

    /**
     * Returns the tuple of {@code elements}, each converted by {@link Term#of(Object)}:
     * {@code Tuple.of(Atom.OK, 42, "text")} is {@code {ok, 42, <<"text">>}}.
     */
    public static Tuple of(Object... elements) {
        if (elements.length == 0) {
            return EMPTY;
        }
        Term[] terms = new Term[elements.length];
        for (int i = 0; i < elements.length; i++) {
            terms[i] = Term.of(elements[i]);
        }
        return new Tuple(terms);
    }

    /** Returns the tuple of {@code elements}. */
    public static Tuple of(List<? extends Term> elements) {
        return elements.isEmpty() ? EMPTY : ofOwned(elements.toArray(new Term[0]));
    }

    /** Takes ownership of {@code elements}, which must hold no nulls. */
    static Tuple ofOwned(Term[] elements) {
        for (Term element : elements) {
            if (element == null) {
                throw new NullPointerException("tuple element");
            }
        }
        return new Tuple(elements);
    }

    /** The number of elements. */
    public int arity() {
        return elements.length;
    }

    /** The element at {@code index}, counting from 0 (Erlang's {@code element/2} counts from 1). */
    public Term get(int index) {
        return elements[index];
    }

    /** The elements, as an unmodifiable list. */
    public List<Term> elements() {
        return List.of(elements);
    }

    Term[] array() {
        return elements;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tuple that && Arrays.equals(elements, that.elements);
    }

    /**
     * Computed at each call: a cached hash would make every tuple 8 bytes larger, and few of the
     * tuples a node decodes are ever hashed (a HashMap keeps its keys' hashes itself).
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(elements) + 7;
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
