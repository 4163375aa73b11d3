package io.jdist.transport.tcp;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierProvider;
import io.jdist.transport.tcp.internal.NettyOptions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provides the {@code tcp} carrier, which interoperates with Erlang nodes started with {@code erl
 * -sname} or {@code -name}.
 *
 * <p>Settings ({@code -Ddist.tcp.NAME=VALUE}): {@code transport} ({@code auto}, the default: native
 * epoll where it loads, else NIO; or {@code epoll} or {@code nio}), {@code ioThreads} (threads moving
 * bytes, default the number of processors, at most 4), {@code connectTimeoutMillis} (default 7000,
 * OTP's {@code net_setuptime}).
 */
public final class TcpCarrierProvider implements CarrierProvider {

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public Carrier create(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(NettyOptions.KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tcp carrier settings " + unknown + "; expected some of "
                    + new TreeSet<>(NettyOptions.KEYS));
        }
        return new TcpCarrier(NettyOptions.parse(settings, "tcp"));
    }
}
