package io.jdist.transport.unix;

import io.jdist.transport.tcp.internal.NettyOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code unix} carrier's settings ({@code -Ddist.unix.KEY=VALUE}).
 *
 * @param dir the socket directory ({@code dir}); default {@link SocketDirectory#defaultDirectory()}
 * @param peers whose connections are accepted ({@code peers}): {@code same}, the default, lets in only
 *     processes of this process's user, checked with the kernel's peer credentials; {@code any}
 *     leaves it to the directory's permissions
 * @param netty the Netty settings shared with the other carriers ({@code transport}, {@code
 *     ioThreads}, {@code connectTimeoutMillis})
 */
record UnixSettings(Path dir, Peers peers, NettyOptions netty) {

    /** Whose connections are accepted. */
    enum Peers { SAME_USER, ANY }

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new TreeSet<>(NettyOptions.KEYS);
        keys.add("dir");
        keys.add("peers");
        KEYS = Set.copyOf(keys);
    }

    /** Reads the settings, refusing unknown keys and bad values with a message naming them. */
    static UnixSettings parse(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown unix carrier settings " + unknown + "; expected some of "
                    + new TreeSet<>(KEYS));
        }
        String dir = settings.get("dir");
        String peers = settings.getOrDefault("peers", "same");
        Peers kind = switch (peers) {
            case "same" -> Peers.SAME_USER;
            case "any" -> Peers.ANY;
            default -> throw new IllegalArgumentException("expected unix setting peers to be same or any but was '"
                    + peers + "'");
        };
        return new UnixSettings(dir != null ? Path.of(dir) : SocketDirectory.defaultDirectory(), kind,
                NettyOptions.parse(settings, "unix"));
    }
}
