package io.jdist.term;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Erlang's term order, as OTP 25 defines it:
 * {@code number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring}.
 *
 * <p>In the ordinary order numbers compare by value, so {@code 1} and {@code 1.0} are equal. Map
 * keys are ordered exactly: every integer sorts before every float, at any depth; that order decides
 * how maps compare and how small maps are encoded.
 */
final class TermOrder {

    private static final long MAX_EXACT_DOUBLE = 1L << 53;

    private TermOrder() {
    }

    static int compare(Term a, Term b) {
        return compare(a, b, false);
    }

    static int compareMapKeys(Term a, Term b) {
        return compare(a, b, true);
    }

    private static int compare(Term a, Term b, boolean exact) {
        if (a == b) {
            return 0;
        }
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        if (rankA == 0) {
            return compareNumbers(a, b, exact);
        } else if (a instanceof Atom x) {
            return compareAtoms(x, (Atom) b);
        } else if (a instanceof Ref x) {
            return compareRefs(x, (Ref) b);
        } else if (a instanceof Closure x) {
            return b instanceof Closure y ? compareClosures(x, y, exact) : -1;
        } else if (a instanceof ExportFun x) {
            return b instanceof ExportFun y ? compareExports(x, y) : 1;
        } else if (a instanceof Port x) {
            return comparePorts(x, (Port) b);
        } else if (a instanceof Pid x) {
            return comparePids(x, (Pid) b);
        } else if (a instanceof Tuple x) {
            return compareTuples(x, (Tuple) b, exact);
        } else if (a instanceof ErlMap x) {
            return compareMaps(x, (ErlMap) b, exact);
        } else if (a instanceof ErlList x) {
            return compareLists(x, (ErlList) b, exact);
        }
        return compareBits(a, b);
    }

    private static int rank(Term term) {
        if (term instanceof Int || term instanceof BigInt || term instanceof ErlFloat) {
            return 0;
        } else if (term instanceof Atom) {
            return 1;
        } else if (term instanceof Ref) {
            return 2;
        } else if (term instanceof Closure || term instanceof ExportFun) {
            return 3;
        } else if (term instanceof Port) {
            return 4;
        } else if (term instanceof Pid) {
            return 5;
        } else if (term instanceof Tuple) {
            return 6;
        } else if (term instanceof ErlMap) {
            return 7;
        } else if (term instanceof ErlList list) {
            return list.isEmpty() ? 8 : 9;
        }
        return 10;
    }

    private static int compareNumbers(Term a, Term b, boolean exact) {
        boolean floatA = a instanceof ErlFloat;
        boolean floatB = b instanceof ErlFloat;
        if (floatA != floatB && exact) {
            return floatA ? 1 : -1;
        }
        if (a instanceof Int x && b instanceof Int y) {
            return Long.compare(x.value(), y.value());
        }
        if (floatA && floatB) {
            return compareDoubles(((ErlFloat) a).value(), ((ErlFloat) b).value());
        }
        if (a instanceof ErlFloat x && b instanceof Int y && Math.abs(y.value()) <= MAX_EXACT_DOUBLE) {
            return compareDoubles(x.value(), y.value());
        }
        if (a instanceof Int x && b instanceof ErlFloat y && Math.abs(x.value()) <= MAX_EXACT_DOUBLE) {
            return compareDoubles(x.value(), y.value());
        }
        if (!floatA && !floatB) {
            return toBigInteger(a).compareTo(toBigInteger(b));
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    private static int compareDoubles(double x, double y) {
        return x < y ? -1 : x > y ? 1 : 0;
    }

    private static BigInteger toBigInteger(Term integer) {
        return integer instanceof Int i ? BigInteger.valueOf(i.value()) : ((BigInt) integer).value();
    }

    private static BigDecimal toBigDecimal(Term number) {
        return number instanceof ErlFloat f ? new BigDecimal(f.value()) : new BigDecimal(toBigInteger(number));
    }

    /** Atoms compare by their UTF-8 bytes, which is code point order. */
    static int compareAtoms(Atom a, Atom b) {
        String x = a.name();
        String y = b.name();
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    private static int compareNodes(Atom nodeA, int creationA, Atom nodeB, int creationB) {
        int byName = compareAtoms(nodeA, nodeB);
        return byName != 0 ? byName : Integer.compareUnsigned(creationA, creationB);
    }

    private static int compareRefs(Ref a, Ref b) {
        int byNode = compareNodes(a.node(), a.creation(), b.node(), b.creation());
        if (byNode != 0) {
            return byNode;
        }
        int lengthA = a.wordCount();
        int lengthB = b.wordCount();
        // Words beyond the shorter reference count only when they are not zero.
        for (; lengthA > lengthB; lengthA--) {
            if (a.word(lengthA - 1) != 0) {
                return 1;
            }
        }
        for (; lengthB > lengthA; lengthB--) {
            if (b.word(lengthB - 1) != 0) {
                return -1;
            }
        }
        for (int i = lengthA - 1; i >= 0; i--) {
            int byWord = Integer.compareUnsigned(a.word(i), b.word(i));
            if (byWord != 0) {
                return byWord;
            }
        }
        return 0;
    }

    private static int compareClosures(Closure a, Closure b, boolean exact) {
        int c = compareAtoms(a.module(), b.module());
        if (c == 0) {
            c = Long.compare(a.oldIndex(), b.oldIndex());
        }
        if (c == 0) {
            c = Long.compare(a.oldUniq(), b.oldUniq());
        }
        if (c == 0) {
            c = compareArrays(a.freeVariableArray(), b.freeVariableArray(), exact);
        }
        return c;
    }

    private static int compareExports(ExportFun a, ExportFun b) {
        int c = compareAtoms(a.module(), b.module());
        if (c == 0) {
            c = compareAtoms(a.function(), b.function());
        }
        return c != 0 ? c : Integer.compare(a.arity(), b.arity());
    }

    private static int comparePorts(Port a, Port b) {
        int byNode = compareNodes(a.node(), a.creation(), b.node(), b.creation());
        return byNode != 0 ? byNode : Long.compareUnsigned(a.id(), b.id());
    }

    private static int comparePids(Pid a, Pid b) {
        int c = Integer.compareUnsigned(a.serial(), b.serial());
        if (c == 0) {
            c = Integer.compareUnsigned(a.id(), b.id());
        }
        return c != 0 ? c : compareNodes(a.node(), a.creation(), b.node(), b.creation());
    }

    private static int compareTuples(Tuple a, Tuple b, boolean exact) {
        int c = Integer.compare(a.arity(), b.arity());
        return c != 0 ? c : compareArrays(a.array(), b.array(), exact);
    }

    /** Compares arrays of equal length element by element; a longer array is greater. */
    private static int compareArrays(Term[] a, Term[] b, boolean exact) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = compare(a[i], b[i], exact);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int compareMaps(ErlMap a, ErlMap b, boolean exact) {
        int c = Integer.compare(a.size(), b.size());
        if (c != 0) {
            return c;
        }
        Term[] keysA = a.sortedKeys();
        Term[] keysB = b.sortedKeys();
        c = compareArrays(keysA, keysB, true);
        if (c != 0) {
            return c;
        }
        for (int i = 0; i < keysA.length; i++) {
            c = compare(a.get(keysA[i]), b.get(keysB[i]), exact);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Lists compare cell by cell: elements first, then, where one list stops, its tail ({@code []}
     * or an improper tail) against the rest of the other list.
     */
    private static int compareLists(ErlList a, ErlList b, boolean exact) {
        Term[] x = a.array();
        Term[] y = b.array();
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            int c = compare(x[i], y[i], exact);
            if (c != 0) {
                return c;
            }
        }
        if (x.length == y.length) {
            return compare(a.tail(), b.tail(), exact);
        }
        // One list goes on (a non-empty list, rank 9) where the other reaches its tail.
        if (x.length > y.length) {
            return -Integer.signum(compareWithList(b.tail()));
        }
        return Integer.signum(compareWithList(a.tail()));
    }

    /** Compares {@code tail} with a non-empty list: only bitstrings sort after lists. */
    private static int compareWithList(Term tail) {
        return Integer.compare(rank(tail), 9);
    }

    private static int compareBits(Term a, Term b) {
        byte[] bytesA = bitsArray(a);
        byte[] bytesB = bitsArray(b);
        int fromA = a instanceof Binary x ? x.offset() : 0;
        int fromB = b instanceof Binary y ? y.offset() : 0;
        long bitsA = bitSize(a);
        long bitsB = bitSize(b);
        long common = Math.min(bitsA, bitsB);
        int wholeBytes = (int) (common >>> 3);
        int c = Arrays.compareUnsigned(bytesA, fromA, fromA + wholeBytes, bytesB, fromB, fromB + wholeBytes);
        if (c != 0) {
            return Integer.signum(c);
        }
        int restBits = (int) (common & 7);
        if (restBits != 0) {
            int mask = 0xFF << (8 - restBits) & 0xFF;
            int lastA = bytesA[fromA + wholeBytes] & mask;
            int lastB = bytesB[fromB + wholeBytes] & mask;
            if (lastA != lastB) {
                return Integer.compare(lastA, lastB);
            }
        }
        return Long.compare(bitsA, bitsB);
    }

    private static byte[] bitsArray(Term bits) {
        return bits instanceof Binary binary ? binary.array() : ((Bitstring) bits).array();
    }

    private static long bitSize(Term bits) {
        return bits instanceof Binary binary ? 8L * binary.size() : ((Bitstring) bits).bitSize();
    }
}
