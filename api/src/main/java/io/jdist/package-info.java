/**
 * The node API: {@link io.jdist.Node} joins an Erlang cluster, calls servers and runs rpc; {@link
 * io.jdist.Mailbox} sends and receives messages, links, monitors and spawns as a process does;
 * {@link io.jdist.ProcessFunction} and {@link io.jdist.GenServer} are what Erlang calls on a Java
 * node. Failures are {@link io.jdist.ExitException} and the {@link io.jdist.CallException} family.
 */
package io.jdist;
