package io.jdist.carrier.tck;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Provides {@value #NAME}: any installed carrier, wrapped in a {@link SilenceableCarrier} so that a
 * test can make a node go silent without closing its connections.
 *
 * <p>Settings: {@code wrapped}, the name of the carrier to wrap; {@code handle}, the name the test
 * finds the carrier by ({@link SilenceableCarrier#byHandle}); every other setting goes to the
 * wrapped carrier. The node suite configures it; a test of its own can do the same:
 *
 * <pre>{@code
 * NodeConfig.builder().carrier("tck-silenceable")
 *         .carrierSetting("wrapped", "tcp").carrierSetting("handle", "peer-1") ...
 * }</pre>
 */
public final class SilenceableCarrierProvider implements CarrierProvider {

    /** The carrier's name. */
    public static final String NAME = "tck-silenceable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Carrier create(Map<String, String> settings) {
        Map<String, String> rest = new HashMap<>(settings);
        String wrapped = rest.remove("wrapped");
        String handle = rest.remove("handle");
        if (wrapped == null || handle == null) {
            throw new IllegalArgumentException("the " + NAME + " carrier needs the settings wrapped and handle but got "
                    + settings.keySet());
        }
        return SilenceableCarrier.open(handle, provider(wrapped).create(rest));
    }

    /**
     * The installed carrier provider named {@code name}.
     *
     * @throws IllegalArgumentException if there is none, listing those there are
     */
    static CarrierProvider provider(String name) {
        List<CarrierProvider> installed = ServiceLoader.load(CarrierProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return installed.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no carrier named '" + name + "' is installed; available: "
                        + installed.stream().map(CarrierProvider::name).sorted().toList()));
    }
}
