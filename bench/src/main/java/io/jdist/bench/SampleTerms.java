package io.jdist.bench;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.ErlMap;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarked terms, each built once as a jdist {@link Term} and once as a JInterface {@link
 * OtpErlangObject} with the same value. The names are the values of {@link
 * TermCodecBenchmark#term}.
 */
enum SampleTerms {

    /** {@code {seq, 123, <<16 random bytes>>}}: a typical small message. 31 bytes encoded. */
    small {
        @Override
        Pair build() {
            byte[] payload = randomBytes(16);
            Term jdist = Tuple.of(Atom.of("seq"), 123, Binary.wrap(payload));
            OtpErlangObject jinterface = new OtpErlangTuple(new OtpErlangObject[] {
                new OtpErlangAtom("seq"), new OtpErlangLong(123), new OtpErlangBinary(payload)});
            return new Pair(jdist, jinterface);
        }
    },

    /**
     * {@code [{item, 0, <<"x">>}, ..., {item, 999, <<"x">>}]}: a list of 1,000 records; the
     * integers are SMALL_INTEGER_EXT up to 255 and INTEGER_EXT after. 18,239 bytes encoded.
     */
    list1k {
        @Override
        Pair build() {
            int n = 1000;
            Term[] jdist = new Term[n];
            OtpErlangObject[] jinterface = new OtpErlangObject[n];
            for (int i = 0; i < n; i++) {
                jdist[i] = Tuple.of(Atom.of("item"), i, Binary.of(new byte[] {'x'}));
                jinterface[i] = new OtpErlangTuple(new OtpErlangObject[] {
                    new OtpErlangAtom("item"), new OtpErlangLong(i), new OtpErlangBinary(new byte[] {'x'})});
            }
            return new Pair(ErlList.of((Object[]) jdist), new OtpErlangList(jinterface));
        }
    },

    /**
     * {@code #{field_0 => 0, field_1 => 1000, ..., field_99 => 99000}}: a map of 100 atom keys to
     * integers (INTEGER_EXT but the first). More than 32 keys, so both libraries write the entries
     * in insertion order and the bytes are the same. 1,493 bytes encoded.
     */
    map100 {
        @Override
        Pair build() {
            int n = 100;
            Map<Term, Term> jdist = new LinkedHashMap<>();
            OtpErlangObject[] keys = new OtpErlangObject[n];
            OtpErlangObject[] values = new OtpErlangObject[n];
            for (int i = 0; i < n; i++) {
                jdist.put(Atom.of("field_" + i), Int.of(i * 1000L));
                keys[i] = new OtpErlangAtom("field_" + i);
                values[i] = new OtpErlangLong(i * 1000L);
            }
            return new Pair(ErlMap.of(jdist), new OtpErlangMap(keys, values));
        }
    },

    /** A binary of 64 KiB of random bytes. 65,542 bytes encoded. */
    binary64k {
        @Override
        Pair build() {
            byte[] bytes = randomBytes(64 * 1024);
            return new Pair(Binary.wrap(bytes), new OtpErlangBinary(bytes));
        }
    };

    /** The same value in both libraries' representations. */
    record Pair(Term jdist, OtpErlangObject jinterface) {
    }

    abstract Pair build();

    /** Random but reproducible bytes. */
    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
