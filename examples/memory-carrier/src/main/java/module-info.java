/**
 * The {@code memory} carrier: connections between nodes of one JVM as in-process byte pipes, found
 * by name without EPMD. The worked example of {@code docs/custom-carrier.md}.
 */
module io.jdist.examples.memory {
    requires transitive io.jdist;

    exports io.jdist.examples.memory;

    provides io.jdist.carrier.CarrierProvider with io.jdist.examples.memory.MemoryCarrierProvider;
}
