/** The {@code tcp} carrier: distribution over plain TCP, as OTP's {@code inet_tcp_dist}. */
package io.jdist.transport.tcp;
