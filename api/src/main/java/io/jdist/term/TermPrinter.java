package io.jdist.term;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Prints terms in Erlang syntax, in the style of {@code io:format("~p")} without line breaks. The
 * output is read back by {@link TermParser}; pids, ports and references use jdist's
 * {@code #Pid<Node.Creation.Id.Serial>} forms, which carry everything needed to rebuild them.
 */
final class TermPrinter {

    /** Erlang's reserved words, which an atom must quote; shared with {@link TermParser}. */
    static final Set<String> RESERVED = Set.of(
            "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
            "catch", "cond", "div", "else", "end", "fun", "if", "let", "maybe", "not", "of", "or",
            "orelse", "receive", "rem", "try", "when", "xor");

    private TermPrinter() {
    }

    /**
     * A short description of a term for an error message: its text when that is short, else its
     * type and encoded size, so that a huge hostile term never becomes a huge message.
     */
    static String abbreviated(Term term) {
        long size = TermEncoder.standard().encodedSize(term);
        if (size <= 240) {
            String text = print(term);
            return text.length() <= 80 ? text : text.substring(0, 77) + "...";
        }
        return "a " + term.getClass().getSimpleName() + " of " + size + " encoded bytes";
    }

    static String print(Term term) {
        StringBuilder out = new StringBuilder();
        print(term, out);
        return out.toString();
    }

    static void print(Term term, StringBuilder out) {
        if (term instanceof Tuple tuple) {
            out.append('{');
            Term[] elements = tuple.array();
            for (int i = 0; i < elements.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                print(elements[i], out);
            }
            out.append('}');
        } else if (term instanceof ErlList list) {
            printList(list, out);
        } else if (term instanceof ErlMap map) {
            out.append("#{");
            Term[] keys = map.sortedKeys();
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                print(keys[i], out);
                out.append(" => ");
                print(map.get(keys[i]), out);
            }
            out.append('}');
        } else if (term instanceof Binary binary) {
            printBinary(binary, out);
        } else if (term instanceof Bitstring bits) {
            printBitstring(bits, out);
        } else if (term instanceof Pid pid) {
            out.append("#Pid<").append(atom(pid.node().name())).append('.')
                    .append(Integer.toUnsignedString(pid.creation())).append('.')
                    .append(Integer.toUnsignedString(pid.id())).append('.')
                    .append(Integer.toUnsignedString(pid.serial())).append('>');
        } else if (term instanceof Port port) {
            out.append("#Port<").append(atom(port.node().name())).append('.')
                    .append(Integer.toUnsignedString(port.creation())).append('.')
                    .append(Long.toUnsignedString(port.id())).append('>');
        } else if (term instanceof Ref ref) {
            out.append("#Ref<").append(atom(ref.node().name())).append('.')
                    .append(Integer.toUnsignedString(ref.creation()));
            for (int i = ref.wordCount() - 1; i >= 0; i--) {
                out.append('.').append(Integer.toUnsignedString(ref.word(i)));
            }
            out.append('>');
        } else {
            out.append(term);
        }
    }

    private static void printList(ErlList list, StringBuilder out) {
        Term[] elements = list.array();
        if (elements.length > 0 && list.isProper() && isPrintableString(elements)) {
            out.append('"');
            for (Term element : elements) {
                appendChar((int) ((Int) element).value(), '"', out);
            }
            out.append('"');
            return;
        }
        out.append('[');
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            print(elements[i], out);
        }
        if (!list.isProper()) {
            out.append('|');
            print(list.improperTail(), out);
        }
        out.append(']');
    }

    private static boolean isPrintableString(Term[] elements) {
        for (Term element : elements) {
            if (!(element instanceof Int i) || !isPrintable(i.value())) {
                return false;
            }
        }
        return true;
    }

    private static void printBinary(Binary binary, StringBuilder out) {
        byte[] array = binary.array();
        int from = binary.offset();
        int to = from + binary.size();
        boolean ascii = true;
        boolean printable = true;
        for (int i = from; i < to && printable; i++) {
            int b = array[i] & 0xFF;
            ascii &= b < 0x80;
            printable = b >= 0x80 || isPrintable(b);
        }
        if (binary.size() > 0 && printable) {
            String text = ascii ? binary.utf8() : strictUtf8(array, from, to);
            if (text != null && text.codePoints().allMatch(TermPrinter::isPrintable)) {
                out.append("<<\"");
                text.codePoints().forEach(c -> appendChar(c, '"', out));
                out.append(ascii ? "\">>" : "\"/utf8>>");
                return;
            }
        }
        out.append("<<");
        for (int i = from; i < to; i++) {
            if (i > from) {
                out.append(',');
            }
            out.append(array[i] & 0xFF);
        }
        out.append(">>");
    }

    private static String strictUtf8(byte[] array, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(array, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void printBitstring(Bitstring bits, StringBuilder out) {
        byte[] bytes = bits.array();
        out.append("<<");
        for (int i = 0; i < bytes.length - 1; i++) {
            out.append(bytes[i] & 0xFF).append(',');
        }
        int tail = bits.tailBits();
        out.append((bytes[bytes.length - 1] & 0xFF) >>> (8 - tail)).append(':').append(tail).append(">>");
    }

    /** Whether a character prints as itself or as a short escape inside a string. */
    private static boolean isPrintable(long c) {
        if (c >= 0x20 && c < 0x7F) {
            return true;
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == 0x0B || c == '\b' || c == '\f' || c == 0x1B) {
            return true;
        }
        if (c < 0xA0 || !ErlList.isCodePoint(c)) {
            return false;
        }
        int type = Character.getType((int) c);
        return type != Character.UNASSIGNED && type != Character.CONTROL && type != Character.FORMAT
                && type != Character.PRIVATE_USE && type != Character.SURROGATE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }

    private static void appendChar(int c, char quote, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case 0x1B -> out.append("\\e");
            case '\\' -> out.append("\\\\");
            default -> {
                if (c == quote) {
                    out.append('\\').append(quote);
                } else if (isPrintable(c)) {
                    out.appendCodePoint(c);
                } else {
                    out.append("\\x{").append(Integer.toHexString(c).toUpperCase()).append('}');
                }
            }
        }
    }

    /** An atom in Erlang syntax, quoted unless it is a lower-case name that is not a reserved word. */
    static String atom(String name) {
        if (isPlainAtom(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 2).append('\'');
        name.codePoints().forEach(c -> appendChar(c, '\'', out));
        return out.append('\'').toString();
    }

    private static boolean isPlainAtom(String name) {
        if (name.isEmpty() || !isLowerLatin1(name.charAt(0)) || RESERVED.contains(name)) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isLowerLatin1(c) || isUpperLatin1(c) || (c >= '0' && c <= '9') || c == '_' || c == '@')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerLatin1(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
    }

    private static boolean isUpperLatin1(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
    }

    /** A float in Erlang syntax, exact enough to read back the same double. */
    static String floatText(double value) {
        String text = Double.toString(value);
        int e = text.indexOf('E');
        return e < 0 ? text : text.substring(0, e) + "e" + text.substring(e + 1);
    }
}
