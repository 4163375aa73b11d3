package io.jdist.testing;

import io.jdist.term.Atom;
import io.jdist.term.Closure;
import io.jdist.term.ErlList;
import io.jdist.term.ErlMap;
import io.jdist.term.ExportFun;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Port;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a term as Erlang expression text that {@code erl_eval} evaluates to the same value, given
 * the constructor functions of the test peer ({@code src/test/erlang/jdist_etf_peer.erl}):
 * {@code pid(Node, Creation, Id, Serial)}, {@code port(Node, Creation, Id)} and
 * {@code ref(Node, Creation, [Words least significant first])}, with all numbers unsigned.
 *
 * <p>Term syntax has no literal for pids, ports and references (jdist prints them as
 * {@code #Pid<...>}, which {@code erl_scan} cannot read), so containers are walked here and only
 * leaves (atoms, numbers, binaries, bitstrings, export funs, lists of integers) are written with
 * their {@link Term#toString()}. Closures cannot be written.
 */
public final class ErlangExpression {

    private ErlangExpression() {
    }

    /** The expression for {@code term}, without the terminating dot. */
    public static String of(Term term) {
        StringBuilder out = new StringBuilder();
        write(term, out);
        return out.toString();
    }

    /** The expression for {@code term} followed by the dot that ends it, as {@code erl_scan} wants. */
    public static String statement(Term term) {
        return of(term) + ".";
    }

    private static void write(Term term, StringBuilder out) {
        if (term instanceof Tuple tuple) {
            out.append('{');
            for (int i = 0; i < tuple.arity(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(tuple.get(i), out);
            }
            out.append('}');
        } else if (term instanceof ErlList list) {
            writeList(list, out);
        } else if (term instanceof ErlMap map) {
            out.append("#{");
            boolean first = true;
            for (Map.Entry<Term, Term> entry : map.asMap().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(entry.getKey(), out);
                out.append(" => ");
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (term instanceof Pid pid) {
            out.append("pid(").append(atom(pid.node())).append(',')
                    .append(Integer.toUnsignedString(pid.creation())).append(',')
                    .append(Integer.toUnsignedString(pid.id())).append(',')
                    .append(Integer.toUnsignedString(pid.serial())).append(')');
        } else if (term instanceof Port port) {
            out.append("port(").append(atom(port.node())).append(',')
                    .append(Integer.toUnsignedString(port.creation())).append(',')
                    .append(Long.toUnsignedString(port.id())).append(')');
        } else if (term instanceof Ref ref) {
            out.append("ref(").append(atom(ref.node())).append(',')
                    .append(Integer.toUnsignedString(ref.creation())).append(",[");
            int[] words = ref.words();
            for (int i = 0; i < words.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(Integer.toUnsignedString(words[i]));
            }
            out.append("])");
        } else if (term instanceof Atom atom) {
            out.append(atom(atom));
        } else if (term instanceof ExportFun fun && !(scannable(fun.module()) && scannable(fun.function()))) {
            out.append("erlang:make_fun(").append(atom(fun.module())).append(',').append(atom(fun.function()))
                    .append(',').append(fun.arity()).append(')');
        } else if (term instanceof Closure) {
            throw new IllegalArgumentException("a closure has no Erlang expression: " + term);
        } else {
            // Atoms, integers, floats, binaries, bitstrings and export funs print as expressions.
            // A space keeps a negative number from gluing onto what precedes it (as in "=>-1").
            String text = term.toString();
            if (text.startsWith("-")) {
                out.append(' ');
            }
            out.append(text);
        }
    }

    /**
     * The atom as Erlang syntax, or, for the few atoms that {@code erl_scan} cannot read back (with
     * the noncharacters U+FFFE or U+FFFF, which OTP prints as {@code '\x{FFFE}'} all the same), as
     * a call that makes it from its UTF-8 bytes.
     */
    private static String atom(Atom atom) {
        if (scannable(atom)) {
            return atom.toString();
        }
        StringBuilder out = new StringBuilder("binary_to_atom(<<");
        byte[] utf8 = atom.name().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            out.append(i > 0 ? "," : "").append(utf8[i] & 0xFF);
        }
        return out.append(">>,utf8)").toString();
    }

    private static boolean scannable(Atom atom) {
        return atom.name().indexOf('\uFFFE') < 0 && atom.name().indexOf('\uFFFF') < 0;
    }

    private static void writeList(ErlList list, StringBuilder out) {
        if (list.isProper() && allIntegers(list)) {
            // Strings and lists of integers print as "text" or [1,2,3]: fast for long ones.
            out.append(list);
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(list.get(i), out);
        }
        if (!list.isProper()) {
            out.append('|');
            write(list.tail(), out);
        }
        out.append(']');
    }

    private static boolean allIntegers(ErlList list) {
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Int)) {
                return false;
            }
        }
        return true;
    }
}
