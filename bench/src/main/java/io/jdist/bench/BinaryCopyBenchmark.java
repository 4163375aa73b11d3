package io.jdist.bench;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Not a codec but a bound: copying the 64 KiB of {@code binary64k} out of its encoding into a new
 * array, which is all that decoding it with one copy of its bytes must do, and what both copying
 * decoders in {@link TermCodecBenchmark} do. Their ops/s can come near this one, not above it.
 * Same settings as {@link TermCodecBenchmark}; no {@code term} parameter, it is always {@code
 * binary64k}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BinaryCopyBenchmark {

    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        encoded = TermEncoder.standard().encode(SampleTerms.binary64k.build().jdist());
    }

    /** A new array with the binary's bytes: the encoding after its 6-byte header. */
    @Benchmark
    public byte[] copyBinary() {
        return Arrays.copyOfRange(encoded, 6, encoded.length);
    }
}
