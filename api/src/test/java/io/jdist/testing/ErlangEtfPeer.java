package io.jdist.testing;

import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlFloat;
import io.jdist.term.ErlList;
import io.jdist.term.ErlMap;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.TermEncoder;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Erlang that checks jdist's External Term Format codec: the test peer
 * {@code src/test/erlang/jdist_etf_peer.erl} running in an {@code erl} of its own, with a
 * temporary working directory that {@link #close()} removes.
 */
public final class ErlangEtfPeer implements AutoCloseable {

    private static final Atom ROUNDTRIP = Atom.of("roundtrip");
    private static final Atom SKIPPED = Atom.of("skipped");

    private final Path workingDir;
    private final ErlPort port;

    private ErlangEtfPeer(Path workingDir, ErlPort port) {
        this.workingDir = workingDir;
        this.port = port;
    }

    /** Starts the peer; skips the test (or fails it on CI) when Erlang is not installed. */
    public static ErlangEtfPeer start() {
        ErlangRuntime runtime = ErlangRuntime.require();
        Path dir;
        try {
            dir = Files.createTempDirectory("jdist-etf-peer-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new ErlangEtfPeer(dir, runtime.startPortProgram("jdist_etf_peer", dir));
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The port to the peer, for requests of one's own. */
    public ErlPort port() {
        return port;
    }

    /** What Erlang answered to a round trip. */
    public record RoundTrip(boolean decodedSame, Boolean bytesSame, byte[] erlangBytes, String detail) {
    }

    /**
     * Has Erlang evaluate {@code term}'s {@link ErlangExpression} and decode {@code javaBytes}.
     */
    public RoundTrip roundTrip(Term term, byte[] javaBytes, boolean checkBytes) {
        Term reply = port.call(Tuple.of(ROUNDTRIP, Binary.of(ErlangExpression.statement(term)),
                Binary.wrap(javaBytes), Atom.of(checkBytes)));
        Tuple answer = (Tuple) reply;
        Term bytesSame = answer.get(1);
        return new RoundTrip(answer.get(0).equals(Atom.TRUE),
                bytesSame.equals(SKIPPED) ? null : bytesSame.equals(Atom.TRUE),
                ((Binary) answer.get(2)).toByteArray(), ((Binary) answer.get(3)).utf8());
    }

    /**
     * Checks {@code term} both ways against Erlang: Erlang decodes jdist's encoding to the value of
     * the term's expression, and (when {@code checkBytes}) {@code term_to_binary} gives exactly
     * jdist's bytes; jdist decodes Erlang's encoding to a term identical to {@code term} and encodes
     * that again to exactly Erlang's bytes.
     *
     * @throws AssertionError describing the first disagreement
     */
    public void assertRoundTrips(Term term, boolean checkBytes) {
        byte[] javaBytes = TermEncoder.standard().encode(term);
        Term javaDecoded = TermDecoder.standard().decode(javaBytes);
        if (!identical(javaDecoded, term)) {
            throw new AssertionError("jdist does not decode its own encoding to the same term\n"
                    + describe(term) + "\n  decoded: " + abbreviate(javaDecoded.toString()));
        }
        RoundTrip answer;
        try {
            answer = roundTrip(term, javaBytes, checkBytes);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(term), e);
        }
        if (!answer.decodedSame()) {
            throw new AssertionError("Erlang decodes jdist's bytes to a different term\n" + describe(term)
                    + "\n" + abbreviate(answer.detail()));
        }
        if (checkBytes && !Boolean.TRUE.equals(answer.bytesSame())) {
            throw new AssertionError("jdist's bytes differ from term_to_binary\n" + describe(term) + "\n"
                    + bytesDiff("jdist", javaBytes, "erlang", answer.erlangBytes()));
        }
        Term decoded;
        try {
            decoded = TermDecoder.standard().decode(answer.erlangBytes());
        } catch (RuntimeException e) {
            throw new AssertionError("jdist cannot decode term_to_binary's bytes: " + e + "\n" + describe(term)
                    + "\n  erlang bytes: " + hex(answer.erlangBytes(), 0, 200), e);
        }
        if (!identical(decoded, term)) {
            throw new AssertionError("jdist decodes term_to_binary's bytes to a different term\n" + describe(term)
                    + "\n  decoded: " + abbreviate(decoded.toString()));
        }
        byte[] reencoded = TermEncoder.standard().encode(decoded);
        if (!Arrays.equals(reencoded, answer.erlangBytes())) {
            throw new AssertionError("jdist does not re-encode term_to_binary's bytes exactly\n" + describe(term)
                    + "\n" + bytesDiff("jdist", reencoded, "erlang", answer.erlangBytes()));
        }
    }

    /** {@code term_to_binary(Value, Options)} for the value of {@code term}'s expression. */
    public byte[] termToBinary(Term term, ErlList options) {
        Term reply = port.call(Tuple.of(Atom.of("t2b"), Binary.of(ErlangExpression.statement(term)), options));
        return ((Binary) reply).toByteArray();
    }

    /** {@code term_to_binary(Value)} for the value of an Erlang expression (ending in a dot). */
    public byte[] eval(String expression) {
        return ((Binary) port.call(Tuple.of(Atom.of("eval"), Binary.of(expression)))).toByteArray();
    }

    /** How Erlang compares two terms. */
    public record Comparison(boolean less, boolean equal, boolean exactlyEqual) {
    }

    /** Erlang's {@code {A < B, A == B, A =:= B}}. */
    public Comparison compare(Term a, Term b) {
        Tuple reply = (Tuple) port.call(Tuple.of(Atom.of("compare"), a, b));
        return new Comparison(reply.get(0).equals(Atom.TRUE), reply.get(1).equals(Atom.TRUE),
                reply.get(2).equals(Atom.TRUE));
    }

    /**
     * Checks that {@link Term#compareTo} agrees with Erlang's {@code <} and {@code ==} both ways,
     * and {@link Term#equals} with {@code =:=} (and then that the hash codes are equal).
     *
     * @throws AssertionError describing the disagreement
     */
    public void assertComparesLikeErlang(Term a, Term b) {
        Comparison erl = compare(a, b);
        int expected = erl.less() ? -1 : erl.equal() ? 0 : 1;
        String relation = erl.less() ? "<" : erl.equal() ? "==" : ">";
        String pair = "\n  a: " + describe(a).strip() + "\n  b: " + describe(b).strip();
        int order = Integer.signum(a.compareTo(b));
        if (order != expected) {
            throw new AssertionError("a.compareTo(b) is " + order + " but in Erlang a " + relation + " b" + pair);
        }
        int reverse = Integer.signum(b.compareTo(a));
        if (reverse != -expected) {
            throw new AssertionError("b.compareTo(a) is " + reverse + " but in Erlang a " + relation + " b" + pair);
        }
        if (a.equals(b) != erl.exactlyEqual()) {
            throw new AssertionError("a.equals(b) is " + a.equals(b) + " but Erlang's a =:= b is "
                    + erl.exactlyEqual() + pair);
        }
        if (a.equals(b) && a.hashCode() != b.hashCode()) {
            throw new AssertionError("equal terms have different hash codes" + pair);
        }
    }

    /** A term that only Erlang can make, with the term_to_binary options it was encoded with. */
    public record ErlangMade(int index, String name, ErlList options, byte[] bytes) {
    }

    /** Has Erlang make its terms (see {@code erlang_made/0} in the peer) and encode them. */
    public List<ErlangMade> erlangMade() {
        ErlList reply = (ErlList) port.call(Atom.of("erlang_made"));
        List<ErlangMade> made = new ArrayList<>();
        for (int i = 0; i < reply.size(); i++) {
            Tuple entry = (Tuple) reply.get(i);
            made.add(new ErlangMade(i + 1, ((Binary) entry.get(0)).utf8(), (ErlList) entry.get(1),
                    ((Binary) entry.get(2)).toByteArray()));
        }
        return made;
    }

    /** Whether Erlang decodes {@code bytes} to a term identical to its made term {@code made}. */
    public boolean sameAsMade(ErlangMade made, byte[] bytes) {
        return port.call(Tuple.of(Atom.of("same_as_made"), Int.of(made.index()), Binary.wrap(bytes)))
                .equals(Atom.TRUE);
    }

    /** The encoder for term_to_binary options such as {@code [compressed, {minor_version, 2}]}. */
    public static TermEncoder encoderFor(ErlList options) {
        TermEncoder.Builder builder = TermEncoder.builder();
        for (Term option : options.elements()) {
            if (option.equals(Atom.of("compressed"))) {
                builder.compressed(6);
            } else if (option instanceof Tuple t && t.arity() == 2 && t.get(0).equals(Atom.of("compressed"))) {
                builder.compressed(((Int) t.get(1)).intValue());
            } else if (option instanceof Tuple t && t.arity() == 2 && t.get(0).equals(Atom.of("minor_version"))) {
                builder.minorVersion(((Int) t.get(1)).intValue());
            } else {
                throw new IllegalArgumentException("unknown term_to_binary option " + option);
            }
        }
        return builder.build();
    }

    /**
     * Whether two terms are identical: equal ({@code =:=}) and, unlike {@code =:=} in OTP 25, with
     * the same sign on every zero float, map keys included.
     */
    public static boolean identical(Term a, Term b) {
        if (a instanceof ErlFloat x && b instanceof ErlFloat y) {
            return Double.doubleToRawLongBits(x.value()) == Double.doubleToRawLongBits(y.value());
        } else if (a instanceof Tuple x && b instanceof Tuple y) {
            if (x.arity() != y.arity()) {
                return false;
            }
            for (int i = 0; i < x.arity(); i++) {
                if (!identical(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        } else if (a instanceof ErlList x && b instanceof ErlList y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!identical(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return x.isProper() ? y.isProper() : !y.isProper() && identical(x.tail(), y.tail());
        } else if (a instanceof ErlMap x && b instanceof ErlMap y) {
            if (!x.equals(y)) {
                return false;
            }
            Map<Term, Term> keysOfY = new HashMap<>();
            for (Term key : y.asMap().keySet()) {
                keysOfY.put(key, key);
            }
            for (Map.Entry<Term, Term> entry : x.asMap().entrySet()) {
                Term keyOfY = keysOfY.get(entry.getKey());
                if (keyOfY == null || !identical(entry.getKey(), keyOfY)
                        || !identical(entry.getValue(), y.get(keyOfY))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A term for failure messages: its expression, abbreviated. */
    public static String describe(Term term) {
        String expression;
        try {
            expression = ErlangExpression.of(term);
        } catch (IllegalArgumentException e) {
            expression = term.toString();
        }
        return "  term: " + abbreviate(expression);
    }

    static String abbreviate(String text) {
        return text.length() <= 3000 ? text : text.substring(0, 3000) + "... (" + text.length() + " characters)";
    }

    /** Where two encodings first differ, with the bytes around it. */
    public static String bytesDiff(String nameA, byte[] a, String nameB, byte[] b) {
        int at = Arrays.mismatch(a, b);
        int from = Math.max(0, at - 16);
        return "  " + nameA + " (" + a.length + " bytes) and " + nameB + " (" + b.length + " bytes) differ at offset "
                + at + "\n  " + nameA + " from " + from + ": " + hex(a, from, at + 32)
                + "\n  " + nameB + " from " + from + ": " + hex(b, from, at + 32);
    }

    static String hex(byte[] bytes, int from, int to) {
        int end = Math.min(bytes.length, to);
        return from >= end ? "(end)" : HexFormat.ofDelimiter(" ").formatHex(bytes, from, end)
                + (end < bytes.length ? " ..." : "");
    }

    /** Stops {@code erl} and removes its working directory. */
    @Override
    public void close() {
        try {
            port.close();
        } finally {
            deleteTree(workingDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Leave it to the OS's cleaning of temporary files.
        }
    }
}
