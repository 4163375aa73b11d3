package io.jdist.transport.tcp;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The {@code tcp} carrier's settings, parsed and checked in one place. */
record TcpSettings(Transport transport, int ioThreads, int connectTimeoutMillis) {

    enum Transport { AUTO, EPOLL, NIO }

    private static final Set<String> KNOWN = Set.of("transport", "ioThreads", "connectTimeoutMillis");

    static TcpSettings parse(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tcp carrier settings " + unknown + "; expected some of "
                    + new TreeSet<>(KNOWN));
        }
        String transport = settings.getOrDefault("transport", "auto");
        Transport kind;
        switch (transport) {
            case "auto" -> kind = Transport.AUTO;
            case "epoll" -> kind = Transport.EPOLL;
            case "nio" -> kind = Transport.NIO;
            default -> throw new IllegalArgumentException(
                    "expected tcp transport auto, epoll or nio but was '" + transport + "'");
        }
        int defaultThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        return new TcpSettings(kind, positive(settings, "ioThreads", defaultThreads),
                positive(settings, "connectTimeoutMillis", 7000));
    }

    private static int positive(Map<String, String> settings, String name, int fallback) {
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
        throw new IllegalArgumentException("expected a positive integer for tcp setting " + name + " but was '"
                + value + "'");
    }
}
