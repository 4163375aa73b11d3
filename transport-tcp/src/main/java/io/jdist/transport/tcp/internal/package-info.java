/**
 * Netty plumbing shared by the carriers built on TCP: the event loops, listening and dialling, and
 * the bridge from a channel to jdist's {@link io.jdist.carrier.ConnectionHandler}. Not a public API:
 * exported only to the {@code tls} carrier, which layers TLS on it.
 */
package io.jdist.transport.tcp.internal;
