/**
 * The carrier conformance kit: {@link io.jdist.carrier.tck.AbstractCarrierConformanceTest} checks a
 * carrier through the Carrier SPI alone, {@link io.jdist.carrier.tck.AbstractNodeConformanceTest}
 * checks two jdist nodes over it. A carrier's tests subclass each in a few lines.
 */
package io.jdist.carrier.tck;
