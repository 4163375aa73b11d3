/** The {@code jdist} command line: {@code node}, {@code demo}, {@code certs} and {@code epmd}. */
package io.jdist.cli;
