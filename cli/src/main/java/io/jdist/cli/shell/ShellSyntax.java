package io.jdist.cli.shell;

import io.jdist.term.Pid;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules of a shell line, which the term parser does not cover: where one argument ends
 * and the next begins, and where {@code self()} stands for the shell's pid.
 *
 * <p>Arguments are separated by white space outside brackets ({@code {} [] () << >>}), strings,
 * quoted atoms and character literals, so that {@code {echo, 'e@host'}} is one argument. A
 * command's last argument is the rest of the line, white space and all.
 */
final class ShellSyntax {

    private ShellSyntax() {
    }

    /**
     * Splits {@code text} into {@code count} arguments, the last taking the rest of the text.
     *
     * @throws ShellException naming the missing argument (from {@code names}) when there are fewer
     */
    static List<String> split(String text, String command, List<String> names) {
        List<String> arguments = new ArrayList<>();
        int at = skipSpace(text, 0);
        for (int i = 0; i < names.size(); i++) {
            if (at >= text.length()) {
                throw new ShellException(command + " needs " + String.join(" ", names) + ": "
                        + names.get(i) + " is missing");
            }
            int end = i == names.size() - 1 ? text.length() : wordEnd(text, at);
            arguments.add(text.substring(at, end).strip());
            at = skipSpace(text, end);
        }
        return arguments;
    }

    /** The index just past the argument that starts at {@code from}. */
    static int wordEnd(String text, int from) {
        int depth = 0;
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (depth == 0 && Character.isWhitespace(c)) {
                return i;
            }
            int literal = literalEnd(text, i);
            if (literal > i) {
                i = literal;
                continue;
            }
            switch (c) {
                case '{', '[', '(' -> {
                    depth++;
                    i++;
                }
                case '}', ']', ')' -> {
                    depth = Math.max(0, depth - 1);
                    i++;
                }
                case '<', '>' -> {
                    if (i + 1 < text.length() && text.charAt(i + 1) == c) {
                        depth = c == '<' ? depth + 1 : Math.max(0, depth - 1);
                        i += 2;
                    } else {
                        i++;
                    }
                }
                default -> i++;
            }
        }
        return i;
    }

    /**
     * {@code text} with each {@code self()} outside strings, quoted atoms and comments replaced by
     * {@code self}'s printed form, {@code #Pid<...>}, which the term parser reads.
     */
    static String withSelf(String text, Pid self) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int literal = literalEnd(text, i);
            if (literal > i) {
                i = literal;
            } else if (c == '%') {
                break;
            } else if (isNameChar(c)) {
                int end = i;
                while (end < text.length() && isNameChar(text.charAt(end))) {
                    end++;
                }
                int call = end;
                if (text.startsWith("self", i) && end == i + 4 && (i == 0 || text.charAt(i - 1) != '#')
                        && (call = emptyCallEnd(text, end)) > end) {
                    if (out == null) {
                        out = new StringBuilder(text.length() + 40);
                    }
                    out.append(text, copied, i).append(self);
                    copied = call;
                }
                i = call;
            } else {
                i++;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** {@code text} without a {@code %} comment at its end (a {@code %} in a string or quoted atom stays). */
    static String withoutComment(String text) {
        int i = 0;
        while (i < text.length()) {
            int literal = literalEnd(text, i);
            if (literal > i) {
                i = literal;
            } else if (text.charAt(i) == '%') {
                return text.substring(0, i);
            } else {
                i++;
            }
        }
        return text;
    }

    /** The index past {@code ( )} with optional white space, if it follows {@code from}; else {@code from}. */
    private static int emptyCallEnd(String text, int from) {
        int i = skipSpace(text, from);
        if (i >= text.length() || text.charAt(i) != '(') {
            return from;
        }
        i = skipSpace(text, i + 1);
        return i < text.length() && text.charAt(i) == ')' ? i + 1 : from;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '@';
    }

    /**
     * The index past the string, quoted atom or character literal opening at {@code from}, or {@code
     * from} if none opens there: what is inside one is no bracket, comment or name to the scanners.
     */
    private static int literalEnd(String text, int from) {
        return switch (text.charAt(from)) {
            case '"', '\'' -> quotedEnd(text, from);
            case '$' -> charLiteralEnd(text, from);
            default -> from;
        };
    }

    /** The index past the string or quoted atom opening at {@code from} (or the end of an unclosed one). */
    private static int quotedEnd(String text, int from) {
        char quote = text.charAt(from);
        int i = from + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** The index past a character literal such as {@code $a} or {@code $\n} opening at {@code from}. */
    private static int charLiteralEnd(String text, int from) {
        int i = from + 1;
        if (i < text.length() && text.charAt(i) == '\\') {
            i++;
        }
        return Math.min(text.length(), i + 1);
    }

    static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
