/**
 * Benchmarks. {@link io.jdist.bench.TermCodecBenchmark} and {@link io.jdist.bench.CodecBench}: JMH
 * benchmarks of jdist's External Term Format codec ({@link io.jdist.term.TermEncoder}, {@link
 * io.jdist.term.TermDecoder}) against Erlang's JInterface on the same terms, built by {@link
 * io.jdist.bench.SampleTerms}, with {@link io.jdist.bench.BinaryCopyBenchmark} as the bound under
 * decoding a binary with one copy. {@link io.jdist.bench.NodeBench}: message passing between jdist
 * and {@code erl} nodes, with Erlang to Erlang as the yardstick, and {@link
 * io.jdist.bench.SocketRoundTrip}, the round trip of bare blocking sockets under it.
 *
 * <p>This is an application on the class path, so it has no module descriptor.
 */
package io.jdist.bench;
