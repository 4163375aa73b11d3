/** The node's machinery: names, cookies, carrier selection, connections, ticks and local processes. */
package io.jdist.internal.node;
