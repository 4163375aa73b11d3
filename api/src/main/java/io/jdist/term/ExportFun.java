package io.jdist.term;

import java.util.Objects;

/**
 * An external fun, {@code fun Module:Function/Arity}: a reference to an exported function by name.
 *
 * @param module the module
 * @param function the function
 * @param arity the number of arguments, 0 to 255
 */
public record ExportFun(Atom module, Atom function, int arity) implements Term {

    public ExportFun {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(function, "function");
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("expected an arity from 0 to 255 but was " + arity);
        }
    }

    /** The fun in Erlang syntax: {@code fun lists:map/2}. */
    @Override
    public String toString() {
        return "fun " + module + ":" + function + "/" + arity;
    }
}
