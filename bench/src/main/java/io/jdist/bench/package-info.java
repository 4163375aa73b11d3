/**
 * JMH benchmarks of jdist's External Term Format codec ({@link io.jdist.term.TermEncoder},
 * {@link io.jdist.term.TermDecoder}) against Erlang's JInterface on the same terms.
 *
 * <p>{@link io.jdist.bench.TermCodecBenchmark} holds the benchmarks; {@link
 * io.jdist.bench.SampleTerms} builds each term in both representations; {@link
 * io.jdist.bench.CodecBench} runs them and prints jdist against JInterface side by side. This is an
 * application on the class path, so it has no module descriptor.
 */
package io.jdist.bench;
