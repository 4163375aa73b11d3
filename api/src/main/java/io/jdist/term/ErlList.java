package io.jdist.term;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Erlang list: the empty list {@link #NIL} {@code []}, a proper list {@code [1, 2, 3]}, or an
 * improper list whose tail is not a list, {@code [1, 2 | three]}.
 *
 * <p>An Erlang string is a list of character codes: {@link #ofString(String)} makes one and {@link
 * #asString()} reads one back. {@code ErlList.ofString("abc")} equals {@code ErlList.of(97, 98, 99)},
 * as {@code "abc" =:= [97, 98, 99]} in Erlang.
 */
public final class ErlList implements Term {

    /** The empty list {@code []}, which Erlang calls nil. */
    public static final ErlList NIL = new ErlList(new Term[0], null);

    private final Term[] elements;
    /** The tail of an improper list, never a list; {@code null} for a proper list. */
    private final Term tail;
    private int hash;

    private ErlList(Term[] elements, Term tail) {
        this.elements = elements;
        this.tail = tail;
    }

    /** Returns the proper list of {@code elements}, each converted by {@link Term#of(Object)}. */
    public static ErlList of(Object... elements) {
        if (elements.length == 0) {
            return NIL;
        }
        Term[] terms = new Term[elements.length];
        for (int i = 0; i < elements.length; i++) {
            terms[i] = Term.of(elements[i]);
        }
        return new ErlList(terms, null);
    }

    /** Returns the proper list of {@code elements}, each converted by {@link Term#of(Object)}. */
    public static ErlList of(Collection<?> elements) {
        return elements.isEmpty() ? NIL : of(elements.toArray());
    }

    /**
     * Returns {@code [e1, e2, ... | tail]}. A list {@code tail} is appended, so the result is
     * proper when {@code tail} is.
     *
     * @throws IllegalArgumentException if {@code elements} is empty and {@code tail} is not a list,
     *     since such a value is just {@code tail}
     */
    public static ErlList improper(List<? extends Term> elements, Term tail) {
        Objects.requireNonNull(tail, "tail");
        if (elements.isEmpty()) {
            if (tail instanceof ErlList list) {
                return list;
            }
            throw new IllegalArgumentException("an improper list needs at least one element before its tail");
        }
        return ofOwned(elements.toArray(new Term[0]), tail);
    }

    /** Returns the Erlang string (charlist) of {@code text}: a list of its Unicode code points. */
    public static ErlList ofString(String text) {
        int[] codePoints = text.codePoints().toArray();
        if (codePoints.length == 0) {
            return NIL;
        }
        Term[] terms = new Term[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            terms[i] = Int.of(codePoints[i]);
        }
        return new ErlList(terms, null);
    }

    /**
     * Takes ownership of {@code elements} (no nulls); {@code tail} is {@code null} or {@link #NIL}
     * for a proper list. A non-empty list tail is appended.
     */
    static ErlList ofOwned(Term[] elements, Term tail) {
        for (Term element : elements) {
            Objects.requireNonNull(element, "list element");
        }
        if (tail instanceof ErlList list) {
            if (list.elements.length == 0) {
                tail = null;
            } else {
                Term[] joined = Arrays.copyOf(elements, elements.length + list.elements.length);
                System.arraycopy(list.elements, 0, joined, elements.length, list.elements.length);
                elements = joined;
                tail = list.tail;
            }
        }
        if (elements.length == 0) {
            return NIL;
        }
        return new ErlList(elements, tail);
    }

    /** Whether this is {@code []}. */
    public boolean isEmpty() {
        return elements.length == 0;
    }

    /** Whether the list ends in {@code []}. */
    public boolean isProper() {
        return tail == null;
    }

    /** The number of elements before the tail. */
    public int size() {
        return elements.length;
    }

    /** The element at {@code index}, counting from 0. */
    public Term get(int index) {
        return elements[index];
    }

    /** The elements before the tail, as an unmodifiable list. */
    public List<Term> elements() {
        return List.of(elements);
    }

    /** The tail: {@link #NIL} for a proper list, else the term after {@code |}. */
    public Term tail() {
        return tail == null ? NIL : tail;
    }

    /**
     * The list as a Java string, when it is a proper list of Unicode code points (as {@code
     * unicode:characters_to_binary/1} would accept); empty otherwise.
     */
    public Optional<String> asString() {
        if (tail != null) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(elements.length);
        for (Term element : elements) {
            if (!(element instanceof Int i) || !isCodePoint(i.value())) {
                return Optional.empty();
            }
            text.appendCodePoint((int) i.value());
        }
        return Optional.of(text.toString());
    }

    static boolean isCodePoint(long value) {
        return value >= 0 && value <= Character.MAX_CODE_POINT && (value < 0xD800 || value > 0xDFFF);
    }

    Term[] array() {
        return elements;
    }

    /** The tail of an improper list, or {@code null}. */
    Term improperTail() {
        return tail;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErlList that && Arrays.equals(elements, that.elements)
                && Objects.equals(tail, that.tail);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(elements) + Objects.hashCode(tail);
            hash = h;
        }
        return h;
    }

    /** The list in Erlang syntax; a list of printable characters prints as a string: {@code "abc"}. */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
