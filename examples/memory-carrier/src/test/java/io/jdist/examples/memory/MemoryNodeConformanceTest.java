package io.jdist.examples.memory;

import io.jdist.carrier.tck.AbstractNodeConformanceTest;

/** The kit's node-level suite: two Java nodes over the memory carrier, found by its own discovery. */
class MemoryNodeConformanceTest extends AbstractNodeConformanceTest {

    @Override
    protected String carrier() {
        return "memory";
    }
}
