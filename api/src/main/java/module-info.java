/**
 * jdist: a JVM node for Erlang/OTP and Elixir clusters.
 *
 * <p>{@code io.jdist} is the node API; {@code io.jdist.term} holds the Erlang term model, the External Term Format codec and the
 * term-syntax parser; {@code io.jdist.carrier} is the Carrier SPI.
 */
module io.jdist {
    exports io.jdist;
    exports io.jdist.term;
    exports io.jdist.carrier;

    uses io.jdist.carrier.CarrierProvider;
}
