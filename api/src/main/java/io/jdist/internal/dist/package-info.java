/** Distribution messages after the handshake: control tuples and their payloads, in pass-through framing. */
package io.jdist.internal.dist;
