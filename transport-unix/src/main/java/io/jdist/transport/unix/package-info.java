/**
 * The {@code unix} carrier ({@code -Ddist.carrier=unix}) and its discovery, {@link
 * io.jdist.transport.unix.SocketDirectory}: one socket file per node in a directory only its owner
 * may enter.
 */
package io.jdist.transport.unix;
