package io.jdist.term;

import java.util.Objects;

/**
 * An Erlang atom: a name of at most 255 characters.
 *
 * <p>Unlike the BEAM, jdist keeps no global atom table: atoms received from peers are ordinary
 * values and are collected like any other object, so hostile input cannot exhaust them.
 *
 * @param name the atom's text, any Unicode, at most 255 code points
 */
public record Atom(String name) implements Term {

    /** The largest number of characters in an atom, as in Erlang. */
    public static final int MAX_CHARACTERS = 255;

    public static final Atom TRUE = new Atom("true");
    public static final Atom FALSE = new Atom("false");
    public static final Atom OK = new Atom("ok");
    public static final Atom ERROR = new Atom("error");
    public static final Atom UNDEFINED = new Atom("undefined");
    public static final Atom NIL = new Atom("nil");

    /**
     * @throws IllegalArgumentException if {@code name} has more than 255 characters, or a lone
     *     surrogate (an atom's characters are Unicode code points)
     */
    public Atom {
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_CHARACTERS && name.codePointCount(0, name.length()) > MAX_CHARACTERS) {
            throw new IllegalArgumentException("atom of " + name.codePointCount(0, name.length())
                    + " characters exceeds the limit of " + MAX_CHARACTERS);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("atom has a lone surrogate at index " + i
                        + "; atoms hold Unicode code points");
            }
        }
    }

    /** Returns the atom with this name. */
    public static Atom of(String name) {
        return switch (name) {
            case "true" -> TRUE;
            case "false" -> FALSE;
            case "ok" -> OK;
            case "error" -> ERROR;
            case "undefined" -> UNDEFINED;
            default -> new Atom(name);
        };
    }

    /** Returns {@code true} or {@code false} as an atom. */
    public static Atom of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** Whether this is the atom {@code true} or {@code false}. */
    public boolean isBoolean() {
        return this.equals(TRUE) || this.equals(FALSE);
    }

    /** The atom in Erlang syntax, quoted where Erlang would quote it: {@code ok}, {@code 'Hello world'}. */
    @Override
    public String toString() {
        return TermPrinter.atom(name);
    }
}
