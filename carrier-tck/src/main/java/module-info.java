/**
 * The carrier conformance kit: abstract JUnit 5 suites that check a {@link io.jdist.carrier.Carrier}
 * against the Carrier SPI's contracts and two jdist nodes against each other over it.
 */
module io.jdist.carrier.tck {
    requires transitive io.jdist;
    requires transitive org.junit.jupiter.api;

    exports io.jdist.carrier.tck;

    uses io.jdist.carrier.CarrierProvider;

    provides io.jdist.carrier.CarrierProvider with io.jdist.carrier.tck.SilenceableCarrierProvider;
}
