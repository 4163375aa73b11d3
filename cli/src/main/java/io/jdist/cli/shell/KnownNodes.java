package io.jdist.cli.shell;

import io.jdist.Node;
import io.jdist.internal.epmd.EpmdClient;
import io.jdist.internal.epmd.EpmdNames;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * The node names completion offers: the connected nodes, and the names registered with this
 * host's EPMD, when the node finds its peers through EPMD. EPMD's answer is kept for two seconds,
 * so that pressing Tab repeatedly does not ask it each time.
 */
final class KnownNodes {

    private static final long EPMD_CACHE_NANOS = Duration.ofSeconds(2).toNanos();

    private final Node node;
    private final EpmdClient epmd;
    private List<String> fromEpmd = List.of();
    private long askedAt;
    private boolean asked;

    /** @param epmd this host's EPMD, or {@code null} when the node does not use EPMD */
    KnownNodes(Node node, EpmdClient epmd) {
        this.node = node;
        this.epmd = epmd;
    }

    /** A client of the EPMD on this host at {@code port}, quick to give up: completion must not hang. */
    static EpmdClient localEpmd(int port) {
        return EpmdClient.builder().port(port).connectTimeout(Duration.ofMillis(300))
                .readTimeout(Duration.ofMillis(500)).build();
    }

    /** The known node names, sorted, without this node's own. */
    synchronized List<String> names() {
        TreeSet<String> names = new TreeSet<>(node.nodes());
        names.addAll(epmdNames());
        names.remove(node.name());
        return List.copyOf(names);
    }

    private List<String> epmdNames() {
        if (epmd == null) {
            return List.of();
        }
        long now = System.nanoTime();
        if (!asked || now - askedAt > EPMD_CACHE_NANOS) {
            asked = true;
            askedAt = now;
            String host = node.name().substring(node.name().indexOf('@'));
            try {
                EpmdNames names = epmd.names();
                fromEpmd = names.nodes().stream().map(entry -> entry.name() + host).toList();
            } catch (IOException e) {
                // No EPMD, or a slow one: complete what is known without it.
                fromEpmd = List.of();
            }
        }
        return fromEpmd;
    }
}
