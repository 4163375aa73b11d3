package io.jdist.term;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Erlang reference, as made by {@code make_ref/0} or {@code monitor/2}: a node, its creation and
 * one to five opaque 32-bit words (OTP sends five for aliases and {@code gen_server} calls).
 */
public final class Ref implements Term {

    /** The most words a reference may have. */
    public static final int MAX_WORDS = 5;

    private final Atom node;
    private final int creation;
    private final int[] words;

    private Ref(Atom node, int creation, int[] words) {
        this.node = node;
        this.creation = creation;
        this.words = words;
    }

    /**
     * Returns the reference.
     *
     * @param words one to five words, least significant first, as they are on the wire
     * @throws IllegalArgumentException for fewer than one or more than five words
     */
    public static Ref of(Atom node, int creation, int... words) {
        Objects.requireNonNull(node, "node");
        if (words.length < 1 || words.length > MAX_WORDS) {
            throw new IllegalArgumentException("expected 1 to " + MAX_WORDS + " reference words but got "
                    + words.length);
        }
        return new Ref(node, creation, words.clone());
    }

    /** The node that made the reference. */
    public Atom node() {
        return node;
    }

    /** The incarnation of that node, unsigned 32 bits. */
    public int creation() {
        return creation;
    }

    /** The words, least significant first, as on the wire. */
    public int[] words() {
        return words.clone();
    }

    int wordCount() {
        return words.length;
    }

    int word(int index) {
        return words[index];
    }

    /**
     * Erlang's exact equality: high words that are zero do not count, so a 3-word reference equals
     * the same reference written with 5 words, as in OTP.
     */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Ref that) || creation != that.creation || !node.equals(that.node)) {
            return false;
        }
        int n = significantWords();
        return n == that.significantWords() && Arrays.equals(words, 0, n, that.words, 0, n);
    }

    @Override
    public int hashCode() {
        int h = node.hashCode() * 31 + creation;
        for (int i = 0, n = significantWords(); i < n; i++) {
            h = h * 31 + words[i];
        }
        return h;
    }

    private int significantWords() {
        int n = words.length;
        while (n > 1 && words[n - 1] == 0) {
            n--;
        }
        return n;
    }

    /**
     * The reference in jdist's syntax, words most significant first as Erlang prints them:
     * {@code #Ref<a@host.3.0.1.2>}.
     */
    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
