package io.jdist.transport.unix;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import java.util.Map;
import java.util.Optional;

/** Provides the {@code unix} carrier: {@code -Ddist.carrier=unix}. */
public final class UnixCarrierProvider implements CarrierProvider {

    /** For {@link java.util.ServiceLoader}. */
    public UnixCarrierProvider() {
    }

    @Override
    public String name() {
        return "unix";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        // The JDK's Unix-domain sockets (Java 16+) work wherever jdist runs; epoll is optional.
        return Optional.empty();
    }

    @Override
    public Carrier create(Map<String, String> settings) {
        return new UnixCarrier(UnixSettings.parse(settings));
    }
}
