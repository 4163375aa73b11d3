/**
 * jdist: a JVM node for Erlang/OTP and Elixir clusters.
 *
 * <p>{@code io.jdist} is the node API; {@code io.jdist.term} holds the Erlang term model, the External Term Format codec and the
 * term-syntax parser; {@code io.jdist.carrier} is the Carrier SPI.
 */
// "module": the cli module is compiled after this one, so javac cannot find it here yet.
@SuppressWarnings("module")
module io.jdist {
    exports io.jdist;
    exports io.jdist.term;
    exports io.jdist.carrier;

    // The embedded EPMD, for the command line's `jdist epmd`.
    exports io.jdist.internal.epmd to io.jdist.cli;

    uses io.jdist.carrier.CarrierProvider;
}
