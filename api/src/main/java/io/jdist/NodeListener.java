package io.jdist;

/**
 * Hears about connections to other nodes coming up and going down, as {@code
 * net_kernel:monitor_nodes(true)} does. Methods run on jdist's I/O threads and must not block.
 */
public interface NodeListener {

    /** A connection to {@code node} is up. */
    default void nodeUp(String node) {
    }

    /** The connection to {@code node} is gone. @param reason why, for people to read */
    default void nodeDown(String node, String reason) {
    }
}
