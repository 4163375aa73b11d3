/**
 * The node API: {@link io.jdist.Node} joins an Erlang cluster, {@link io.jdist.Mailbox} sends and
 * receives messages as a process does.
 */
package io.jdist;
