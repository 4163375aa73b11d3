package io.jdist.transport.tcp.internal;

import java.util.Map;
import java.util.Set;

/**
 * The settings every carrier on Netty's TCP shares: which I/O transport, how many threads, how long
 * to connect.
 *
 * @param transport {@code auto} (native epoll where it loads, else NIO), {@code epoll} or {@code nio}
 * @param ioThreads threads moving bytes
 * @param connectTimeoutMillis how long a TCP connect may take
 */
public record NettyOptions(Transport transport, int ioThreads, int connectTimeoutMillis) {

    /** Netty's I/O transport. */
    public enum Transport { AUTO, EPOLL, NIO }

    /** The setting names read by {@link #parse}. */
    public static final Set<String> KEYS = Set.of("transport", "ioThreads", "connectTimeoutMillis");

    /**
     * Reads {@link #KEYS} from {@code settings}, ignoring other keys.
     *
     * @param carrier the carrier's name, for error messages
     * @throws IllegalArgumentException naming the setting and the value that is wrong
     */
    public static NettyOptions parse(Map<String, String> settings, String carrier) {
        String transport = settings.getOrDefault("transport", "auto");
        Transport kind = switch (transport) {
            case "auto" -> Transport.AUTO;
            case "epoll" -> Transport.EPOLL;
            case "nio" -> Transport.NIO;
            default -> throw new IllegalArgumentException(
                    "expected " + carrier + " transport auto, epoll or nio but was '" + transport + "'");
        };
        int defaultThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new NettyOptions(kind, positive(settings, "ioThreads", defaultThreads, carrier),
                positive(settings, "connectTimeoutMillis", 7000, carrier));
    }

    /** The integer setting {@code name}, which must be positive, or {@code fallback} when absent. */
    public static int positive(Map<String, String> settings, String name, int fallback, String carrier) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a positive integer for " + carrier + " setting " + name
                + " but was '" + value + "'");
    }
}
