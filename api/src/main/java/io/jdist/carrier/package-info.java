/**
 * The Carrier SPI: how a distribution connection's bytes travel. A carrier connects, accepts and
 * moves bytes; the handshake, framing, ticks and term codec live once in jdist itself, so a carrier
 * needs no knowledge of the distribution protocol. Carriers are found by {@link
 * java.util.ServiceLoader} through {@link io.jdist.carrier.CarrierProvider}.
 *
 * <p>This package is a public SPI: its types are stable and meant to be implemented by third
 * parties.
 */
package io.jdist.carrier;
