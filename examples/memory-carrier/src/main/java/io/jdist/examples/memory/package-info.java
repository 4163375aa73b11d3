/**
 * The {@code memory} carrier ({@code -Ddist.carrier=memory}): nodes of one JVM connected by
 * in-process byte pipes, for fast tests of Java nodes without sockets, ports or EPMD.
 */
package io.jdist.examples.memory;
