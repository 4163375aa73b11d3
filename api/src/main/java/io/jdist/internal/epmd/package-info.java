/**
 * The EPMD (Erlang Port Mapper Daemon) protocol: a client that registers a node and looks up
 * peers, and an embedded server that real Erlang nodes and {@code epmd -names} can use in place of
 * the {@code epmd} daemon. Internal: not exported from the {@code io.jdist} module.
 */
package io.jdist.internal.epmd;
