package io.jdist;

import io.jdist.carrier.Discovery;
import io.jdist.internal.epmd.EpmdClient;
import io.jdist.internal.node.NodeNames;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a {@link Node} starts: its name, cookie, carrier and timings. Immutable; made with a {@link
 * Builder}.
 *
 * <p>Every setting may come from the builder, else from a system property, else from a default, in
 * that order. The properties are read here and nowhere else:
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code dist.sname}</td><td>short name, as {@code erl -sname}</td><td></td></tr>
 *   <tr><td>{@code dist.name}</td><td>long name, as {@code erl -name}</td><td></td></tr>
 *   <tr><td>{@code dist.cookie}</td><td>the cookie</td><td>{@code ~/.erlang.cookie}, created if missing</td></tr>
 *   <tr><td>{@code dist.carrier}</td><td>the carrier's name</td><td>{@code tcp}</td></tr>
 *   <tr><td>{@code dist.ticktime}</td><td>seconds of silence after which a peer is down</td><td>60</td></tr>
 *   <tr><td>{@code dist.port}</td><td>the port to listen on</td><td>any free port</td></tr>
 *   <tr><td>{@code dist.bindAddress}</td><td>the address to listen on</td><td>every address</td></tr>
 *   <tr><td>{@code dist.epmdPort}</td><td>EPMD's port</td><td>{@code ERL_EPMD_PORT}, else 4369</td></tr>
 *   <tr><td>{@code dist.discovery}</td><td>how peers are found: {@code epmd}, or {@code fixed} (every
 *       node listens on {@code dist.port}, no EPMD)</td><td>the carrier's own, else {@code epmd}</td></tr>
 *   <tr><td>{@code dist.visible}</td><td>{@code true} for a visible node, listed in Erlang's {@code nodes()}
 *       (see {@link Builder#visible})</td><td>{@code false}: hidden, as JInterface nodes are</td></tr>
 *   <tr><td>{@code dist.CARRIER.SETTING}</td><td>a setting of the carrier named CARRIER</td><td></td></tr>
 * </table>
 */
public final class NodeConfig {

    private final String name;
    private final String cookie;
    private final Path cookieFile;
    private final String carrier;
    private final Map<String, String> carrierSettings;
    private final Duration ticktime;
    private final int port;
    private final InetAddress bindAddress;
    private final int epmdPort;
    private final Discovery discovery;
    private final Duration setupTimeout;
    private final int maxMessageBytes;
    private final boolean visible;

    private NodeConfig(Builder b, Properties properties) {
        String sname = first(b.sname, properties.getProperty("dist.sname"));
        String lname = first(b.name, properties.getProperty("dist.name"));
        if (sname != null && lname != null) {
            throw new IllegalArgumentException("a node has either a short name (sname) or a long name (name), not both");
        }
        if (sname == null && lname == null) {
            throw new IllegalArgumentException("a node needs a name: set sname or name (-Ddist.sname=NAME)");
        }
        this.name = sname != null ? NodeNames.shortName(sname) : NodeNames.longName(lname);
        this.cookie = first(b.cookie, properties.getProperty("dist.cookie"));
        this.cookieFile = b.cookieFile;
        this.carrier = first(b.carrier, properties.getProperty("dist.carrier"), "tcp");
        this.carrierSettings = carrierSettings(carrier, properties, b.carrierSettings);
        this.ticktime = b.ticktime != null ? b.ticktime
                : Duration.ofSeconds(integer(properties, "dist.ticktime", 60, 1));
        this.port = b.port != null ? b.port : integer(properties, "dist.port", 0, 0);
        this.bindAddress = b.bindAddress != null ? b.bindAddress : address(properties, "dist.bindAddress");
        this.epmdPort = b.epmdPort != null ? b.epmdPort
                : integer(properties, "dist.epmdPort", EpmdClient.defaultPort(), 1);
        this.setupTimeout = b.setupTimeout;
        this.maxMessageBytes = b.maxMessageBytes;
        this.visible = b.visible != null ? b.visible : bool(properties, "dist.visible", false);
        if (port > 65535 || epmdPort > 65535) {
            throw new IllegalArgumentException("expected ports from 0 to 65535 but got " + port + " and " + epmdPort);
        }
        String kind = properties.getProperty("dist.discovery");
        this.discovery = b.discovery != null ? b.discovery : kind == null ? null : discovery(kind, port, epmdPort);
    }

    private static Discovery discovery(String kind, int port, int epmdPort) {
        return switch (kind) {
            case "epmd" -> Discovery.epmd(epmdPort);
            case "fixed" -> {
                if (port == 0) {
                    throw new IllegalArgumentException("-Ddist.discovery=fixed needs the port every node listens on:"
                            + " set -Ddist.port");
                }
                yield Discovery.fixedPort(port);
            }
            default -> throw new IllegalArgumentException("expected -Ddist.discovery to be epmd or fixed but was '"
                    + kind + "'");
        };
    }

    /** A builder with nothing set: every setting falls back to its property, then its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration from the system properties alone. */
    public static NodeConfig fromSystemProperties() {
        return builder().build();
    }

    /** The full node name, {@code alive@host}. */
    public String name() {
        return name;
    }

    /** The cookie given, or {@code null} to use the cookie file. */
    String cookie() {
        return cookie;
    }

    /** The cookie file to use when no cookie is given, or {@code null} for {@code ~/.erlang.cookie}. */
    Path cookieFile() {
        return cookieFile;
    }

    /** The carrier's name. */
    public String carrier() {
        return carrier;
    }

    /** The carrier's own settings, without the {@code dist.CARRIER.} prefix. */
    public Map<String, String> carrierSettings() {
        return carrierSettings;
    }

    /** Silence after which a peer is considered down; ticks go out every quarter of it. */
    public Duration ticktime() {
        return ticktime;
    }

    /** The port to listen on, 0 for any. */
    public int port() {
        return port;
    }

    /** The address to listen on, or {@code null} for all. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** EPMD's port. */
    public int epmdPort() {
        return epmdPort;
    }

    /**
     * How the node publishes its address and finds its peers', if configured; empty means the
     * carrier's own discovery, else EPMD on {@link #epmdPort}.
     */
    public Optional<Discovery> discovery() {
        return Optional.ofNullable(discovery);
    }

    /** How long each handshake step may take (OTP's {@code net_setuptime}). */
    public Duration setupTimeout() {
        return setupTimeout;
    }

    /** The largest message accepted from a peer, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Whether the node is visible: Erlang lists it in {@code nodes()}; see {@link Builder#visible}. */
    public boolean visible() {
        return visible;
    }

    @Override
    public String toString() {
        // No cookie here: configurations get logged.
        return "NodeConfig[name=" + name + ", carrier=" + carrier + ", carrierSettings=" + carrierSettings.keySet()
                + ", ticktime=" + ticktime.toSeconds() + "s, port=" + port + ", bindAddress=" + bindAddress
                + ", epmdPort=" + epmdPort + ", discovery=" + discovery + ", setupTimeout=" + setupTimeout.toMillis() + "ms, maxMessageBytes="
                + maxMessageBytes + ", visible=" + visible + ", cookie=" + (cookie != null ? "given" : "from file") + "]";
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    private static int integer(Properties properties, String key, int fallback, int min) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected an integer of at least " + min + " for -D" + key + " but was '"
                + value + "'");
    }

    private static boolean bool(Properties properties, String key, boolean fallback) {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false for -D" + key + " but was '"
                    + value + "'");
        };
    }

    private static InetAddress address(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            return null;
        }
        try {
            return InetAddress.getByName(value.trim());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("expected an IP address or a host name for -D" + key + " but '"
                    + value + "' does not resolve");
        }
    }

    private static Map<String, String> carrierSettings(String carrier, Properties properties,
            Map<String, String> fromBuilder) {
        Map<String, String> settings = new TreeMap<>();
        String prefix = "dist." + carrier + ".";
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                settings.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        settings.putAll(fromBuilder);
        return Map.copyOf(settings);
    }

    /** Builds a {@link NodeConfig}. */
    public static final class Builder {

        private String sname;
        private String name;
        private String cookie;
        private Path cookieFile;
        private String carrier;
        private final Map<String, String> carrierSettings = new TreeMap<>();
        private Duration ticktime;
        private Integer port;
        private InetAddress bindAddress;
        private Integer epmdPort;
        private Discovery discovery;
        private Duration setupTimeout = Duration.ofSeconds(7);
        private int maxMessageBytes = 128 * 1024 * 1024;
        private Boolean visible;

        private Builder() {
        }

        /** A short name, as {@code erl -sname}: {@code a} or {@code a@host} (no dot in the host). */
        public Builder sname(String sname) {
            this.sname = Objects.requireNonNull(sname, "sname");
            return this;
        }

        /** A long name, as {@code erl -name}: {@code a} or {@code a@host.domain} or {@code a@127.0.0.1}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The cookie; without one the node reads (or creates) the cookie file. */
        public Builder cookie(String cookie) {
            this.cookie = Objects.requireNonNull(cookie, "cookie");
            return this;
        }

        /** The cookie file to use when no cookie is given; default {@code ~/.erlang.cookie}. */
        public Builder cookieFile(Path cookieFile) {
            this.cookieFile = Objects.requireNonNull(cookieFile, "cookieFile");
            return this;
        }

        /** The carrier by name: {@code tcp} (default), {@code tls}, {@code unix}, or a third party's. */
        public Builder carrier(String carrier) {
            this.carrier = Objects.requireNonNull(carrier, "carrier");
            return this;
        }

        /** One of the carrier's own settings, as {@code -Ddist.CARRIER.key=value} would give it. */
        public Builder carrierSetting(String key, String value) {
            carrierSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Silence after which a peer is down, at least one second; default 60 s as in OTP. */
        public Builder ticktime(Duration ticktime) {
            if (ticktime.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("expected a ticktime of at least 1 s but was " + ticktime);
            }
            this.ticktime = ticktime;
            return this;
        }

        /** The port to listen on; default 0, any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to listen on; default all addresses. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** EPMD's port; default {@code ERL_EPMD_PORT}, else 4369. */
        public Builder epmdPort(int epmdPort) {
            this.epmdPort = epmdPort;
            return this;
        }

        /**
         * How the node publishes its address and finds its peers'; default the carrier's own (a
         * socket directory for {@code unix}), else EPMD on {@link #epmdPort}. The node closes it
         * when it closes.
         */
        public Builder discovery(Discovery discovery) {
            this.discovery = Objects.requireNonNull(discovery, "discovery");
            return this;
        }

        /** How long each handshake step may take; default 7 s as OTP's {@code net_setuptime}. */
        public Builder setupTimeout(Duration setupTimeout) {
            if (setupTimeout.isNegative() || setupTimeout.isZero()) {
                throw new IllegalArgumentException("expected a positive setup timeout but was " + setupTimeout);
            }
            this.setupTimeout = setupTimeout;
            return this;
        }

        /** The largest message accepted from a peer; default 128 MiB. */
        public Builder maxMessageBytes(int maxMessageBytes) {
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("expected a message limit of at least 1024 bytes but was "
                        + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /**
         * Whether the node is visible; default {@code false}, hidden, as JInterface nodes are.
         *
         * <p>A hidden node is listed in Erlang's {@code nodes(hidden)}; a visible one advertises
         * itself as published ({@code DFLAG_PUBLISHED}) and is listed in {@code nodes()}, so in
         * Elixir's {@code Node.list()}, and {@code net_kernel:monitor_nodes(true)} reports it. OTP's
         * {@code global} then synchronises with it: the node answers as a node that registers no
         * global names, so {@code global:sync()} returns, and it holds the locks that {@code
         * global:set_lock} and {@code global:trans} take on every node. It keeps no copy of the
         * global name table ({@code global:whereis_name} is for Erlang nodes to answer), takes no
         * part in {@code pg} (its scopes' {@code discover} messages go unanswered, which leaves
         * groups among Erlang nodes working), and is left out of {@code global}'s handling of
         * overlapping partitions: no Erlang node disconnects from it on another node's behalf.
         */
        public Builder visible(boolean visible) {
            this.visible = visible;
            return this;
        }

        /**
         * Resolves every setting.
         *
         * @throws IllegalArgumentException saying which setting is wrong and why
         */
        public NodeConfig build() {
            return new NodeConfig(this, System.getProperties());
        }

        /**
         * Resolves every setting against {@code properties} instead of the system properties, for
         * an application that takes {@code dist.*} settings from elsewhere, such as its command
         * line. To add to the system properties, give a {@code Properties} holding both.
         *
         * @throws IllegalArgumentException saying which setting is wrong and why
         */
        public NodeConfig build(Properties properties) {
            return new NodeConfig(this, properties);
        }
    }
}
