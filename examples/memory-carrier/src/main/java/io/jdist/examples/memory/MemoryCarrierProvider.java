package io.jdist.examples.memory;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provides the {@code memory} carrier ({@code -Ddist.carrier=memory}): Java nodes of one JVM,
 * connected by in-process byte pipes and found by name, without sockets, ports or EPMD.
 *
 * <p>One setting, {@code -Ddist.memory.bufferBytes=N}: how many bytes a connection may hold for
 * its peer before it reports itself busy, which holds jdist's senders back until the peer has
 * taken half of them. Default 1 MiB, as OTP's {@code dist_buf_busy_limit}.
 */
public final class MemoryCarrierProvider implements CarrierProvider {

    private static final Set<String> SETTINGS = Set.of("bufferBytes");

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Carrier create(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(SETTINGS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown memory carrier settings " + unknown + "; expected some of "
                    + SETTINGS);
        }
        String value = settings.getOrDefault("bufferBytes", String.valueOf(1024 * 1024));
        try {
            int bufferBytes = Integer.parseInt(value);
            if (bufferBytes > 1) {
                return new MemoryCarrier(bufferBytes);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected dist.memory.bufferBytes to be a number of bytes above 1 but was '"
                + value + "'");
    }
}
