package io.jdist.bench;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpExternal;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.TermEncoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encodes and decodes the same terms with jdist and with JInterface, in operations per second.
 *
 * <p>Encoding goes from the term to a complete {@code byte[]} that starts with the version byte 131,
 * as {@code term_to_binary/1} returns; decoding goes from such an array back to a term. JInterface's
 * {@code new OtpOutputStream(term)} does not write the version byte, so its encoder here writes it
 * first and then the term, which is what {@code OtpOutputStream(OtpErlangObject)} does apart from
 * that byte. jdist's encoder uses minor version 2 (UTF-8 atoms), as JInterface does, so both produce
 * the same bytes; {@link #setUp} checks that, and that each library decodes the other's bytes to the
 * value it started from.
 *
 * <p>jdist decodes twice: with {@link TermDecoder#standard()}, which copies each binary's bytes out
 * of the input once, and with {@code shareBinaries(true)}, which makes binaries views of the input
 * without copying. JInterface's {@code OtpInputStream.read_any()} always copies.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TermCodecBenchmark {

    /** Which term, one of {@link SampleTerms}. */
    @Param({"small", "list1k", "map100", "binary64k"})
    public String term;

    private final TermEncoder jdistEncoder = TermEncoder.builder().minorVersion(2).build();
    private final TermDecoder jdistDecoder = TermDecoder.standard();
    private final TermDecoder jdistSharingDecoder = TermDecoder.builder().shareBinaries(true).build();

    private Term jdistTerm;
    private OtpErlangObject jinterfaceTerm;
    /** The encoded term with its version byte, the input of every decode benchmark. */
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() throws OtpErlangDecodeException {
        SampleTerms.Pair pair = SampleTerms.valueOf(term).build();
        jdistTerm = pair.jdist();
        jinterfaceTerm = pair.jinterface();

        byte[] fromJdist = encodeJdist();
        byte[] fromJInterface = encodeJInterface();
        check(fromJdist[0] == (byte) 131 && fromJInterface[0] == (byte) 131, "both start with the version byte 131");
        check(Arrays.equals(fromJdist, fromJInterface), "jdist and JInterface encode " + term + " to the same "
                + fromJdist.length + " bytes, but JInterface wrote " + fromJInterface.length + ": first difference at "
                + Arrays.mismatch(fromJdist, fromJInterface));
        encoded = fromJInterface;

        check(jdistDecoder.decode(fromJInterface).equals(jdistTerm), "jdist decodes JInterface's bytes to " + term);
        check(jdistSharingDecoder.decode(fromJInterface).equals(jdistTerm),
                "jdist decodes JInterface's bytes to " + term + " when sharing binaries");
        check(new OtpInputStream(fromJdist).read_any().equals(jinterfaceTerm), "JInterface decodes jdist's bytes to "
                + term);
        check(jdistTerm.equals(decodeJdist()) && jdistTerm.equals(decodeJdistShared())
                && jinterfaceTerm.equals(decodeJInterface()), "every decoder gives back " + term);
    }

    private static void check(boolean condition, String expectation) {
        if (!condition) {
            throw new IllegalStateException("sanity check failed: expected that " + expectation);
        }
    }

    /** jdist: term to {@code byte[]} with the version byte. */
    @Benchmark
    public byte[] encodeJdist() {
        return jdistEncoder.encode(jdistTerm);
    }

    /** JInterface: the same, through {@code OtpOutputStream}. */
    @Benchmark
    public byte[] encodeJInterface() {
        OtpOutputStream out = new OtpOutputStream();
        out.write1(OtpExternal.versionTag);
        out.write_any(jinterfaceTerm);
        return out.toByteArray();
    }

    /** jdist: {@code byte[]} to term, copying binaries' bytes (the default). */
    @Benchmark
    public Term decodeJdist() {
        return jdistDecoder.decode(encoded);
    }

    /** jdist: {@code byte[]} to term, binaries sharing the input array. */
    @Benchmark
    public Term decodeJdistShared() {
        return jdistSharingDecoder.decode(encoded);
    }

    /** JInterface: {@code byte[]} to term through {@code OtpInputStream.read_any()}. */
    @Benchmark
    public OtpErlangObject decodeJInterface() throws OtpErlangDecodeException {
        return new OtpInputStream(encoded).read_any();
    }
}
