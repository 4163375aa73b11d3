package io.jdist.transport.tls;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import java.util.Map;

/**
 * Provides the {@code tls} carrier, which interoperates with Erlang nodes started with {@code erl
 * -proto_dist inet_tls -ssl_dist_optfile FILE}.
 *
 * <p>Settings ({@code -Ddist.tls.NAME=VALUE}, see the module's README for the full table): {@code
 * certFile}, {@code keyFile}, {@code keyPasswordFile} or {@code keyPasswordEnv}, {@code caFile},
 * {@code verify} ({@code peer} or {@code none}), {@code requireClientCert}, {@code protocols},
 * {@code ciphers}, {@code provider} ({@code auto}, {@code openssl} or {@code jdk}), {@code
 * identityCheck}, {@code peerVerifier}, {@code optFile} (an Erlang {@code ssl_dist_optfile}), and
 * the tcp carrier's {@code transport}, {@code ioThreads} and {@code connectTimeoutMillis}.
 */
public final class TlsCarrierProvider implements CarrierProvider {

    /** For {@link java.util.ServiceLoader}: does nothing until {@link #create} is called. */
    public TlsCarrierProvider() {
    }

    @Override
    public String name() {
        return "tls";
    }

    /**
     * @throws IllegalArgumentException for an unknown or wrong setting, or files that cannot be
     *     loaded, naming the setting or the file
     * @throws IllegalStateException if {@code provider=openssl} was asked for and cannot load
     */
    @Override
    public Carrier create(Map<String, String> settings) {
        return new TlsCarrier(TlsSettings.parse(settings));
    }
}
