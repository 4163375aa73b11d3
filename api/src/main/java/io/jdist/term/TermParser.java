package io.jdist.term;

import io.jdist.term.TermLexer.Kind;
import io.jdist.term.TermLexer.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads terms written in Erlang syntax, the inverse of {@link Term#toString()}:
 * {@code TermParser.parse(term.toString()).equals(term)} for every term but a {@link Closure}.
 *
 * <p>It accepts what Erlang's {@code erl_parse:parse_term/1} accepts for literal terms: atoms,
 * integers ({@code 1_000}, {@code 16#FF}, {@code $a}), floats, strings, lists, tuples, maps,
 * binaries with segments ({@code <<1:3, "é"/utf8, -1:16/little>>}) and export funs ({@code fun
 * lists:map/2}); white space and {@code %} comments may appear between tokens. It also reads jdist's
 * forms for identifiers, which Erlang cannot read back: {@code #Pid<Node.Creation.Id.Serial>},
 * {@code #Port<Node.Creation.Id>} and {@code #Ref<Node.Creation.Word...>}, written without spaces.
 *
 * <p>It is stricter than Erlang in a few places that would otherwise hide mistakes: a map key may
 * not be repeated, an unknown escape such as {@code "\q"} is an error, and a character that does not
 * fit its binary segment ({@code <<"привет">>}) is an error rather than cut to its low bits.
 *
 * <pre>{@code
 * Term reply = TermParser.parse("{ok, [#{name => <<\"Ada\">>}]}");
 * List<Term> config = TermParser.parseAll(Files.readString(path));   // like file:consult/1
 * }</pre>
 */
public final class TermParser {

    /** The deepest nesting of tuples, lists, maps and binaries read, so that the stack cannot overflow. */
    static final int MAX_DEPTH = 1000;


    private static final BigInteger UNSIGNED_32_LIMIT = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger UNSIGNED_64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private final TermLexer lexer;
    /** The next token, not yet consumed. */
    private Token token;
    private int depth;

    private TermParser(String text) {
        this.lexer = new TermLexer(Objects.requireNonNull(text, "text"));
        this.token = lexer.next();
    }

    /**
     * Reads exactly one term, optionally followed by a {@code .}, as in {@code "{ok, 42}."}.
     *
     * @throws TermParseException if the text is not one term, naming the line and column
     */
    public static Term parse(String text) {
        TermParser parser = new TermParser(text);
        Term term = parser.term();
        boolean ended = parser.token.kind() == Kind.DOT;
        if (ended) {
            parser.advance();
        }
        if (parser.token.kind() != Kind.END) {
            String hint = ended ? "; use parseAll to read several terms" : "";
            throw parser.unexpected("end of input", hint);
        }
        return term;
    }

    /**
     * Reads zero or more terms, each ended by a {@code .}, as in a file that Erlang's
     * {@code file:consult/1} reads: {@code "[{a,1}]. {b,2}."}.
     *
     * @return the terms in order, as an unmodifiable list
     * @throws TermParseException if the text is not such a sequence, naming the line and column
     */
    public static List<Term> parseAll(String text) {
        TermParser parser = new TermParser(text);
        List<Term> terms = new ArrayList<>();
        while (parser.token.kind() != Kind.END) {
            terms.add(parser.term());
            if (parser.token.kind() != Kind.DOT) {
                throw parser.unexpected("'.' after the term");
            }
            parser.advance();
        }
        return Collections.unmodifiableList(terms);
    }

    private Term term() {
        Token t = token;
        return switch (t.kind()) {
            case ATOM -> atomOrFun();
            case INTEGER, FLOAT -> number(false);
            case STRING -> ErlList.ofString(string());
            case FORM -> form();
            case PUNCTUATION -> compound();
            case VARIABLE -> throw error(t, "expected a term but was the variable " + TermLexer.shorten(t.text())
                    + "; variables are not terms (write '" + TermLexer.shorten(t.text()) + "' for the atom)");
            default -> throw unexpected("a term");
        };
    }

    private Term compound() {
        return switch (token.text()) {
            case "{" -> tuple();
            case "[" -> list();
            case "#" -> map();
            case "<<" -> binary();
            case "-", "+" -> signedNumber();
            default -> throw unexpected("a term");
        };
    }

    private Term atomOrFun() {
        Token t = token;
        String name = (String) t.value();
        if (!t.quoted() && TermPrinter.RESERVED.contains(name)) {
            if (name.equals("fun")) {
                return exportFun();
            }
            throw error(t, "expected a term but was the reserved word " + name + "; write '" + name
                    + "' for the atom");
        }
        advance();
        return atom(t);
    }

    private static Atom atom(Token t) {
        try {
            return Atom.of((String) t.value());
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage());
        }
    }

    /** {@code fun Module:Function/Arity}, after {@code fun}. */
    private Term exportFun() {
        advance();
        Atom module = funAtom("module");
        expect(":");
        Atom function = funAtom("function");
        expect("/");
        Token arity = token;
        if (arity.kind() != Kind.INTEGER || ((BigInteger) arity.value()).compareTo(BigInteger.valueOf(255)) > 0) {
            throw unexpected("an arity from 0 to 255");
        }
        advance();
        return new ExportFun(module, function, ((BigInteger) arity.value()).intValue());
    }

    private Atom funAtom(String role) {
        Token t = token;
        if (t.kind() != Kind.ATOM || (!t.quoted() && TermPrinter.RESERVED.contains((String) t.value()))) {
            throw unexpected("a " + role + " name (an atom)");
        }
        advance();
        return atom(t);
    }

    /** An integer or float, negated when {@code negative}. */
    private Term number(boolean negative) {
        Token t = token;
        advance();
        if (t.kind() == Kind.FLOAT) {
            double value = (Double) t.value();
            return new ErlFloat(negative ? -value : value);
        }
        BigInteger value = (BigInteger) t.value();
        return BigInt.of(negative ? value.negate() : value);
    }

    private Term signedNumber() {
        Token sign = token;
        advance();
        if (token.kind() != Kind.INTEGER && token.kind() != Kind.FLOAT) {
            throw unexpected("a number after '" + sign.text() + "'");
        }
        return number(sign.is("-"));
    }

    /** A string, joining adjacent string literals as Erlang does: {@code "ab" "cd"}. */
    private String string() {
        StringBuilder text = new StringBuilder();
        while (token.kind() == Kind.STRING) {
            text.append((String) token.value());
            advance();
        }
        return text.toString();
    }

    private Term tuple() {
        Token start = enter();
        List<Term> elements = new ArrayList<>();
        if (!accept("}")) {
            do {
                elements.add(term());
            } while (accept(","));
            expectClosing("}", start, "',' or '}'");
        }
        leave();
        return Tuple.of(elements);
    }

    private Term list() {
        Token start = enter();
        List<Term> elements = new ArrayList<>();
        Term tail = ErlList.NIL;
        if (!accept("]")) {
            do {
                elements.add(term());
            } while (accept(","));
            if (accept("|")) {
                tail = term();
                expectClosing("]", start, "']' after the tail");
            } else {
                expectClosing("]", start, "',', '|' or ']'");
            }
        }
        leave();
        return ErlList.improper(elements, tail);
    }

    private Term map() {
        advance();
        if (!token.is("{")) {
            throw unexpected("'{' after '#'");
        }
        Token start = enter();
        Map<Term, Term> entries = new LinkedHashMap<>();
        if (!accept("}")) {
            do {
                Token keyStart = token;
                Term key = term();
                if (entries.containsKey(key)) {
                    throw error(keyStart, "repeated map key " + TermLexer.shorten(key.toString()));
                }
                if (!accept("=>")) {
                    throw unexpected("'=>'");
                }
                entries.put(key, term());
            } while (accept(","));
            expectClosing("}", start, "',' or '}'");
        }
        leave();
        return ErlMap.of(entries);
    }

    /** {@code <<Segment, ...>>}, each segment {@code Value[:Size][/Type-Specifiers]}. */
    private Term binary() {
        Token start = enter();
        BitstringBuilder bits = new BitstringBuilder();
        if (!accept(">>")) {
            do {
                segment(bits);
            } while (accept(","));
            expectClosing(">>", start, "',' or '>>'");
        }
        leave();
        return bits.build();
    }

    private void segment(BitstringBuilder bits) {
        Token start = token;
        String text = token.kind() == Kind.STRING ? string() : null;
        Term value = text == null ? segmentValue() : null;
        BitstringBuilder.Segment segment = new BitstringBuilder.Segment();
        if (accept(":")) {
            segment.size(segmentSize());
        }
        if (accept("/")) {
            do {
                typeSpecifier(segment);
            } while (accept("-"));
        }
        try {
            if (text != null) {
                bits.appendString(text, segment);
            } else {
                bits.append(value, segment);
            }
        } catch (IllegalArgumentException e) {
            throw error(start, e.getMessage());
        }
    }

    private Term segmentValue() {
        if (token.kind() == Kind.INTEGER || token.kind() == Kind.FLOAT) {
            return number(false);
        } else if (token.is("-") || token.is("+")) {
            return signedNumber();
        } else if (token.is("<<")) {
            return binary();
        } else if (token.is("(")) {
            Token start = enter();
            Term value = term();
            expectClosing(")", start, "')'");
            leave();
            return value;
        }
        throw unexpected("a segment value (a number, string, binary or parenthesised term)");
    }

    private long segmentSize() {
        boolean parenthesised = accept("(");
        Token t = token;
        if (t.kind() != Kind.INTEGER) {
            throw unexpected("a segment size (an integer)");
        }
        BigInteger size = (BigInteger) t.value();
        if (size.compareTo(BigInteger.valueOf(BitstringBuilder.MAX_BITS)) > 0) {
            throw error(t, "expected a segment size of at most " + BitstringBuilder.MAX_BITS + " but was " + size);
        }
        advance();
        if (parenthesised) {
            expect(")");
        }
        return size.longValue();
    }

    private void typeSpecifier(BitstringBuilder.Segment segment) {
        Token t = token;
        if (t.kind() != Kind.ATOM) {
            throw unexpected("a type specifier such as integer, binary, utf8 or little");
        }
        advance();
        try {
            if (t.value().equals("unit")) {
                expect(":");
                Token unit = token;
                if (unit.kind() != Kind.INTEGER) {
                    throw unexpected("the unit, an integer from 1 to 256");
                }
                BigInteger value = (BigInteger) unit.value();
                if (value.signum() == 0 || value.compareTo(BigInteger.valueOf(256)) > 0) {
                    throw error(unit, "expected a unit from 1 to 256 but was " + TermLexer.shorten(value.toString()));
                }
                advance();
                segment.unit(value.longValue());
            } else {
                segment.specifier((String) t.value());
            }
        } catch (TermParseException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage());
        }
    }

    /** {@code #Pid<...>}, {@code #Port<...>} or {@code #Ref<...>}, which the lexer has split up. */
    private Term form() {
        Token t = token;
        String name = (String) t.value();
        if (name.equals("Fun")) {
            throw error(t, "closures (#Fun<...>) cannot be written in term syntax; they can only be received"
                    + " from an Erlang node");
        }
        List<Token> parts = t.parts();
        Atom node = atom(parts.get(0));
        List<Token> numbers = parts.subList(1, parts.size());
        Term result;
        if (name.equals("Pid")) {
            checkCount(t, numbers, 3, 3, "#Pid<Node.Creation.Id.Serial>");
            result = new Pid(node, uint32(numbers.get(1)), uint32(numbers.get(2)), uint32(numbers.get(0)));
        } else if (name.equals("Port")) {
            checkCount(t, numbers, 2, 2, "#Port<Node.Creation.Id>");
            result = new Port(node, uint64(numbers.get(1)), uint32(numbers.get(0)));
        } else {
            checkCount(t, numbers, 2, 1 + Ref.MAX_WORDS, "#Ref<Node.Creation.Word...>, with 1 to 5 words,");
            // The text puts the most significant word first; Ref.of takes the least significant first.
            int[] words = new int[numbers.size() - 1];
            for (int i = 0; i < words.length; i++) {
                words[i] = uint32(numbers.get(numbers.size() - 1 - i));
            }
            result = Ref.of(node, uint32(numbers.get(0)), words);
        }
        advance();
        return result;
    }

    private static void checkCount(Token form, List<Token> numbers, int min, int max, String shape) {
        if (numbers.size() < min || numbers.size() > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw error(form, "expected " + expected + " numbers after the node in " + shape + " but was "
                    + numbers.size());
        }
    }

    private static int uint32(Token number) {
        BigInteger value = (BigInteger) number.value();
        if (value.compareTo(UNSIGNED_32_LIMIT) >= 0) {
            throw error(number, "expected an unsigned 32-bit number but was " + TermLexer.shorten(value.toString()));
        }
        return (int) value.longValue();
    }

    private static long uint64(Token number) {
        BigInteger value = (BigInteger) number.value();
        if (value.compareTo(UNSIGNED_64_LIMIT) >= 0) {
            throw error(number, "expected an unsigned 64-bit number but was " + TermLexer.shorten(value.toString()));
        }
        return value.longValue();
    }

    /** Consumes the opening token of a nested term, refusing to nest deeper than {@link #MAX_DEPTH}. */
    private Token enter() {
        Token open = token;
        if (++depth > MAX_DEPTH) {
            throw error(open, "expected at most " + MAX_DEPTH + " levels of nesting but this is deeper");
        }
        advance();
        return open;
    }

    private void leave() {
        depth--;
    }

    private void advance() {
        token = lexer.next();
    }

    /** Consumes the punctuation {@code symbol} if it is next. */
    private boolean accept(String symbol) {
        if (token.is(symbol)) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw unexpected("'" + symbol + "'");
        }
    }

    /** Consumes {@code close}; at the end of the input, says where the unclosed bracket opened. */
    private void expectClosing(String close, Token open, String expected) {
        if (!accept(close)) {
            String hint = token.kind() == Kind.END
                    ? "; the '" + open.text() + "' at line " + open.line() + ", column " + open.column()
                            + " is not closed"
                    : "";
            throw unexpected(expected, hint);
        }
    }

    /** An error at the current token: expected this, but was that. */
    private TermParseException unexpected(String expected) {
        return unexpected(expected, "");
    }

    private TermParseException unexpected(String expected, String hint) {
        if (token.is(".")) {
            hint += "; a '.' that ends a term must be followed by white space or the end of the input";
        }
        return error(token, "expected " + expected + " but was " + token.describe() + hint);
    }

    private static TermParseException error(Token at, String detail) {
        return new TermParseException(detail, at.line(), at.column());
    }
}
