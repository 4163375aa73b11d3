package io.jdist.carrier;

import java.util.Map;
import java.util.Optional;

/**
 * Makes {@link Carrier}s of one kind, found by {@link java.util.ServiceLoader} and chosen by {@link
 * #name()} ({@code -Ddist.carrier=NAME}). Register an implementation in {@code
 * META-INF/services/io.jdist.carrier.CarrierProvider} or with {@code provides} in {@code
 * module-info.java}.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor; they should do
 * no expensive work until {@link #create} is called.
 */
public interface CarrierProvider {

    /** The name users select the carrier by: lower case, such as {@code tcp}, {@code tls}, {@code unix}. */
    String name();

    /**
     * Why this carrier cannot run here (a missing native library, an unsupported platform), or
     * empty when it can. A node that is asked for an unavailable carrier reports this reason.
     */
    default Optional<String> unavailabilityCause() {
        return Optional.empty();
    }

    /**
     * Makes a carrier.
     *
     * @param settings the carrier's own settings: the {@code dist.NAME.*} system properties and
     *     builder options with that prefix removed ({@code dist.tls.certFile} arrives as {@code
     *     certFile})
     * @throws IllegalArgumentException for a setting it does not know or cannot use, naming it
     */
    Carrier create(Map<String, String> settings);
}
