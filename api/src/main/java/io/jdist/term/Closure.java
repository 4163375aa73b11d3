package io.jdist.term;

import java.util.Arrays;
import java.util.List;

/**
 * A local fun (a closure) received from an Erlang node. A closure can only run on a node that has
 * its module loaded, so jdist carries it opaquely: it can be compared, printed, and sent back
 * unchanged, byte for byte.
 */
public final class Closure implements Term {

    private final Atom module;
    private final int arity;
    private final byte[] uniq;
    private final int index;
    private final long oldIndex;
    private final long oldUniq;
    private final Pid pid;
    private final Term[] freeVariables;
    /** The bytes after the NEW_FUN_EXT tag, exactly as received. */
    private final byte[] encoded;

    Closure(Atom module, int arity, byte[] uniq, int index, long oldIndex, long oldUniq, Pid pid,
            Term[] freeVariables, byte[] encoded) {
        this.module = module;
        this.arity = arity;
        this.uniq = uniq;
        this.index = index;
        this.oldIndex = oldIndex;
        this.oldUniq = oldUniq;
        this.pid = pid;
        this.freeVariables = freeVariables;
        this.encoded = encoded;
    }

    /** The module that defines the fun. */
    public Atom module() {
        return module;
    }

    /** The number of arguments the fun takes. */
    public int arity() {
        return arity;
    }

    /** The index of the fun in its module. */
    public int index() {
        return index;
    }

    /** The 16-byte MD5 of the module's code that identifies the module version. */
    public byte[] uniq() {
        return uniq.clone();
    }

    /** The process that created the fun. */
    public Pid pid() {
        return pid;
    }

    /** The values the fun closed over. */
    public List<Term> freeVariables() {
        return List.of(freeVariables);
    }

    long oldIndex() {
        return oldIndex;
    }

    long oldUniq() {
        return oldUniq;
    }

    Term[] freeVariableArray() {
        return freeVariables;
    }

    byte[] encoded() {
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Closure that && index == that.index && arity == that.arity
                && oldIndex == that.oldIndex && oldUniq == that.oldUniq && module.equals(that.module)
                && Arrays.equals(uniq, that.uniq) && Arrays.equals(freeVariables, that.freeVariables);
    }

    @Override
    public int hashCode() {
        return ((module.hashCode() * 31 + index) * 31 + Arrays.hashCode(uniq)) * 31 + Arrays.hashCode(freeVariables);
    }

    /** The fun as Erlang prints it, {@code #Fun<module.index.olduniq>}; term syntax cannot express it. */
    @Override
    public String toString() {
        return "#Fun<" + module + "." + oldIndex + "." + oldUniq + ">";
    }
}
