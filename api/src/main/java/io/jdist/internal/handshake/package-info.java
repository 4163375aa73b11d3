/**
 * The distribution handshake's messages, capability flags and cookie digests: byte layouts only,
 * independent of the transport that carries them.
 */
package io.jdist.internal.handshake;
