package io.jdist.term;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Erlang term syntax into tokens for {@link TermParser}, one token per call to {@link
 * #next()}, skipping white space and {@code %} comments. Character classes follow Erlang's scanner
 * ({@code erl_scan}), which knows only Latin-1 letters outside quotes.
 */
final class TermLexer {

    /** What a token is. */
    enum Kind {
        ATOM, VARIABLE, INTEGER, FLOAT, STRING, PUNCTUATION, FORM, DOT, END
    }

    /**
     * A token and where it starts.
     *
     * @param text the token's source text
     * @param value the name of an atom, variable or form, the {@link BigInteger} of an integer or
     *     character, the {@link Double} of a float, the {@link String} of a string
     * @param quoted whether an atom was written in single quotes
     * @param parts for a {@code #Pid<...>}, {@code #Port<...>} or {@code #Ref<...>} form, its node
     *     atom followed by its numbers
     */
    record Token(Kind kind, String text, Object value, boolean quoted, int line, int column, List<Token> parts) {

        /** Whether this is the punctuation {@code symbol}. */
        boolean is(String symbol) {
            return kind == Kind.PUNCTUATION && text.equals(symbol);
        }

        /** The token as an error message shows it. */
        String describe() {
            return switch (kind) {
                case END -> "end of input";
                case DOT -> "'.'";
                case STRING -> shorten(text);
                case ATOM -> quoted ? shorten(text) : "'" + shorten(text) + "'";
                default -> "'" + shorten(text) + "'";
            };
        }
    }

    /** Where the lexer is: an index into the input and the 1-based line and column there. */
    private record Mark(int pos, int line, int column) {
    }

    private static final int SHORTEN_AFTER = 30;

    private final String input;
    private int pos;
    private int line = 1;
    private int column = 1;

    TermLexer(String input) {
        this.input = input;
    }

    /** Reads the next token; at the end of the input, an {@link Kind#END} token. */
    Token next() {
        skipBlanks();
        Mark start = here();
        int c = peek();
        if (c < 0) {
            return token(Kind.END, start, null);
        } else if (c == '\'') {
            return token(Kind.ATOM, start, quoted('\'', "quoted atom"), true, List.of());
        } else if (c == '"') {
            return token(Kind.STRING, start, quoted('"', "string"));
        } else if (c == '$') {
            return character(start);
        } else if (isDigit(c)) {
            return number(start);
        } else if (isLowerStart(c)) {
            return token(Kind.ATOM, start, name());
        } else if (isUpperStart(c) || c == '_') {
            return token(Kind.VARIABLE, start, name());
        } else if (c == '#') {
            return hash(start);
        } else if (c == '.') {
            take();
            // As in Erlang, only a '.' before white space, a comment or the end ends a term.
            int after = peek();
            boolean ends = after < 0 || after == '%' || isBlank(after);
            return token(ends ? Kind.DOT : Kind.PUNCTUATION, start, null);
        }
        return punctuation(start);
    }

    private void skipBlanks() {
        for (int c = peek(); c >= 0; c = peek()) {
            if (c == '%') {
                while (peek() >= 0 && peek() != '\n') {
                    take();
                }
            } else if (isBlank(c)) {
                take();
            } else {
                return;
            }
        }
    }

    private Token punctuation(Mark start) {
        int c = take();
        int after = peek();
        if ((c == '<' && after == '<') || (c == '>' && after == '>') || (c == '=' && after == '>')
                || (c == ':' && after == '=')) {
            take();
        } else if (c > 0x7E || Character.isISOControl(c)) {
            String hint = Character.isLetter(c) ? "; an atom with letters beyond Latin-1 must be quoted" : "";
            throw error(start, "unexpected character " + describeChar(c) + hint);
        }
        // Other ASCII symbols become tokens too, so that the parser can say what it expected instead.
        return token(Kind.PUNCTUATION, start, null);
    }

    private String name() {
        int from = pos;
        while (isNameChar(peek())) {
            take();
        }
        return input.substring(from, pos);
    }

    /** Reads a quoted atom or string, with its escapes, returning its text. */
    private String quoted(char quote, String what) {
        Mark start = here();
        take();
        StringBuilder text = new StringBuilder();
        while (true) {
            Mark at = here();
            int c = take();
            if (c < 0) {
                throw error(start, "unterminated " + what);
            } else if (c == quote) {
                return text.toString();
            } else if (c == '\\') {
                if (peek() < 0) {
                    throw error(start, "unterminated " + what);
                }
                c = escape(at);
            } else {
                checkNotSurrogate(c, at);
            }
            text.appendCodePoint(c);
        }
    }

    /** A character literal, {@code $a} or {@code $\n}: an integer. */
    private Token character(Mark start) {
        take();
        Mark at = here();
        int c = take();
        if (c < 0) {
            throw error(start, "expected a character after '$' but was end of input");
        } else if (c == '\\') {
            if (peek() < 0) {
                throw error(start, "expected an escape after '$\\' but was end of input");
            }
            c = escape(at);
        } else {
            checkNotSurrogate(c, at);
        }
        return token(Kind.INTEGER, start, BigInteger.valueOf(c));
    }

    /** Reads the escape after a backslash at {@code at}, returning its character. */
    private int escape(Mark at) {
        int c = take();
        return switch (c) {
            case 'b' -> '\b';
            case 'd' -> 0x7F;
            case 'e' -> 0x1B;
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 's' -> ' ';
            case 't' -> '\t';
            case 'v' -> 0x0B;
            case '\'', '"', '\\' -> c;
            case 'x' -> hexEscape(at);
            case '^' -> controlEscape(at);
            default -> octalEscape(c, at);
        };
    }

    private int hexEscape(Mark at) {
        int value = 0;
        if (peek() == '{') {
            take();
            int digits = 0;
            while (peek() != '}') {
                int digit = hexDigit(peek());
                if (digit < 0) {
                    throw error(at, "expected hex digits and '}' after '\\x{' but was " + describeNext());
                }
                take();
                // Past 0x10FFFF the value is an error anyway; stop it growing before it overflows.
                value = Math.min(value * 16 + digit, 0x110000);
                digits++;
            }
            take();
            if (digits == 0) {
                throw error(at, "expected hex digits in '\\x{}'");
            }
            if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
                throw error(at, "expected a Unicode character but was the code 0x" + Integer.toHexString(value)
                        + (value > Character.MAX_CODE_POINT ? " or more" : ""));
            }
            return value;
        }
        for (int i = 0; i < 2; i++) {
            int digit = hexDigit(peek());
            if (digit < 0) {
                throw error(at, "expected two hex digits after '\\x' but was " + describeNext());
            }
            take();
            value = value * 16 + digit;
        }
        return value;
    }

    private int controlEscape(Mark at) {
        int c = peek();
        // Erlang documents \^a to \^z and \^A to \^Z; other characters would only hide typing mistakes.
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            throw error(at, "expected a letter after '\\^' but was " + describeNext());
        }
        take();
        return c & 0x1F;
    }

    private int octalEscape(int first, Mark at) {
        if (first < '0' || first > '7') {
            // Erlang reads an unknown escape as the bare character; "\u00e9" would silently become
            // "u00e9", so it is an error here.
            throw error(at, "unknown escape '\\" + new String(Character.toChars(first)) + "'");
        }
        int value = first - '0';
        for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; i++) {
            value = value * 8 + take() - '0';
        }
        return value;
    }

    /**
     * An integer ({@code 42}, {@code 1_000}, {@code 16#FF}) or a float ({@code 1.5e-3}); signs are
     * separate tokens.
     */
    private Token number(Mark start) {
        String digits = digits(10);
        if (peek() == '#') {
            return based(start, digits);
        }
        if (peek() != '.' || !isDigit(peekAfter())) {
            return token(Kind.INTEGER, start, new BigInteger(digits));
        }
        take();
        StringBuilder text = new StringBuilder(digits).append('.').append(digits(10));
        if (peek() == 'e' || peek() == 'E') {
            text.append((char) take());
            if (peek() == '+' || peek() == '-') {
                text.append((char) take());
            }
            if (!isDigit(peek())) {
                throw error(here(), "expected the digits of an exponent but was " + describeNext());
            }
            text.append(digits(10));
        }
        double value = Double.parseDouble(text.toString());
        if (Double.isInfinite(value)) {
            throw error(start, "float " + shorten(input.substring(start.pos(), pos)) + " is out of range");
        }
        return token(Kind.FLOAT, start, value);
    }

    private Token based(Mark start, String baseDigits) {
        take();
        int base = baseDigits.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(baseDigits);
        if (base < 2 || base > 36) {
            throw error(start, "expected a base from 2 to 36 but was " + baseDigits);
        }
        String digits = digits(base);
        if (digits.isEmpty()) {
            throw error(here(), "expected digits in base " + base + " but was " + describeNext());
        }
        if (isDigit(peek()) || (peek() < 0x80 && Character.isLetter(peek()))) {
            throw error(here(), "expected digits in base " + base + " but was " + describeNext());
        }
        return token(Kind.INTEGER, start, new BigInteger(digits, base));
    }

    /** Reads digits in {@code radix}, with single '_' between digits, returning them without the '_'s. */
    private String digits(int radix) {
        StringBuilder digits = new StringBuilder();
        while (digitValue(peek(), radix) >= 0) {
            digits.append((char) take());
            if (peek() == '_' && digitValue(peekAfter(), radix) >= 0) {
                take();
            }
        }
        return digits.toString();
    }

    /** {@code #Pid<...>}, {@code #Port<...>}, {@code #Ref<...>}, {@code #Fun<}, or a lone {@code #}. */
    private Token hash(Mark start) {
        take();
        int c = peek();
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return token(Kind.PUNCTUATION, start, null);
        }
        String name = name();
        boolean known = name.equals("Pid") || name.equals("Port") || name.equals("Ref") || name.equals("Fun");
        if (!known || peek() != '<') {
            throw error(start, "unknown form '#" + shorten(name) + "'; expected '#{', '#Pid<', '#Port<' or '#Ref<'");
        }
        take();
        if (name.equals("Fun")) {
            // The parser rejects closures; there is no point reading on.
            return token(Kind.FORM, start, name);
        }
        List<Token> parts = new ArrayList<>();
        parts.add(formNode(name));
        while (true) {
            c = peek();
            if (c == '>') {
                take();
                return token(Kind.FORM, start, name, false, parts);
            } else if (c != '.') {
                throw error(here(), "expected '.' or '>' in '#" + name + "<...>' but was " + describeNext());
            }
            take();
            Mark number = here();
            if (!isDigit(peek())) {
                throw error(number, "expected a number in '#" + name + "<...>' but was " + describeNext());
            }
            while (isDigit(peek())) {
                take();
            }
            parts.add(token(Kind.INTEGER, number, new BigInteger(input.substring(number.pos(), pos))));
        }
    }

    private Token formNode(String form) {
        Mark start = here();
        int c = peek();
        if (c == '\'') {
            return token(Kind.ATOM, start, quoted('\'', "quoted atom"), true, List.of());
        } else if (isLowerStart(c)) {
            return token(Kind.ATOM, start, name());
        }
        throw error(start, "expected a node name after '#" + form + "<' but was " + describeNext());
    }

    private Token token(Kind kind, Mark start, Object value) {
        return token(kind, start, value, false, List.of());
    }

    private Token token(Kind kind, Mark start, Object value, boolean quoted, List<Token> parts) {
        return new Token(kind, input.substring(start.pos(), pos), value, quoted, start.line(), start.column(),
                List.copyOf(parts));
    }

    private static TermParseException error(Mark at, String detail) {
        return new TermParseException(detail, at.line(), at.column());
    }

    private Mark here() {
        return new Mark(pos, line, column);
    }

    private int peek() {
        return pos < input.length() ? input.codePointAt(pos) : -1;
    }

    private int peekAfter() {
        int c = peek();
        int next = pos + (c < 0 ? 0 : Character.charCount(c));
        return next < input.length() ? input.codePointAt(next) : -1;
    }

    /** Consumes one character (code point), keeping the line and column; -1 at the end. */
    private int take() {
        int c = peek();
        if (c < 0) {
            return c;
        }
        pos += Character.charCount(c);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        return c;
    }

    private String describeNext() {
        int c = peek();
        return c < 0 ? "end of input" : describeChar(c);
    }

    private void checkNotSurrogate(int c, Mark at) {
        if (c >= 0xD800 && c <= 0xDFFF) {
            throw error(at, "unexpected character " + describeChar(c) + ", an unpaired surrogate");
        }
    }

    private static String describeChar(int c) {
        if (c > ' ' && c != 0x7F && !Character.isISOControl(c) && !Character.isWhitespace(c)
                && !(c >= 0xD800 && c <= 0xDFFF)) {
            return "'" + new String(Character.toChars(c)) + "'";
        }
        return String.format("U+%04X", c);
    }

    /** Cuts long text so that an error message never repeats the whole input. */
    static String shorten(String text) {
        if (text.codePointCount(0, text.length()) <= SHORTEN_AFTER) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, SHORTEN_AFTER - 3)) + "...";
    }

    /** White space as Erlang sees it: control characters, space, and Latin-1's 0x80 to 0xA0. */
    private static boolean isBlank(int c) {
        return (c >= 0 && c <= ' ') || (c >= 0x80 && c <= 0xA0);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int digitValue(int c, int radix) {
        return c >= 0 && c < 0x80 ? Character.digit(c, radix) : -1;
    }

    private static int hexDigit(int c) {
        return digitValue(c, 16);
    }

    private static boolean isLowerStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
    }

    private static boolean isUpperStart(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
    }

    private static boolean isNameChar(int c) {
        return isLowerStart(c) || isUpperStart(c) || isDigit(c) || c == '_' || c == '@';
    }
}
