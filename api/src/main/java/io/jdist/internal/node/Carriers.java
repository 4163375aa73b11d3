package io.jdist.internal.node;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds carriers by name through {@link ServiceLoader}. */
public final class Carriers {

    private Carriers() {
    }

    /**
     * Makes the carrier named {@code name}.
     *
     * @throws IllegalArgumentException if no such carrier is available, listing those that are and
     *     why the others are not
     */
    public static Carrier create(String name, Map<String, String> settings) {
        Map<String, String> unavailable = new TreeMap<>();
        List<String> available = new ArrayList<>();
        CarrierProvider chosen = null;
        ServiceLoader<CarrierProvider> loader = ServiceLoader.load(CarrierProvider.class, Carriers.class.getClassLoader());
        for (ServiceLoader.Provider<CarrierProvider> candidate : loader.stream().toList()) {
            CarrierProvider provider;
            try {
                provider = candidate.get();
            } catch (ServiceConfigurationError e) {
                unavailable.put(candidate.type().getName(), String.valueOf(e.getMessage()));
                continue;
            }
            Optional<String> cause = provider.unavailabilityCause();
            if (cause.isPresent()) {
                unavailable.put(provider.name(), cause.get());
            } else {
                available.add(provider.name());
                if (provider.name().equals(name)) {
                    chosen = provider;
                }
            }
        }
        if (chosen == null) {
            StringBuilder message = new StringBuilder("no carrier named '").append(name).append("'");
            message.append(unavailable.containsKey(name) ? " can run here: " + unavailable.get(name) : " is installed");
            message.append("; available: ").append(available.isEmpty() ? "none" : String.join(", ", available));
            unavailable.remove(name);
            unavailable.forEach((n, why) -> message.append("; ").append(n).append(" is unavailable: ").append(why));
            if (available.isEmpty()) {
                message.append(" (add a carrier such as io.jdist:jdist-transport-tcp to the class path)");
            }
            throw new IllegalArgumentException(message.toString());
        }
        return chosen.create(settings);
    }
}
