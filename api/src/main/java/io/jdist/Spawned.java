package io.jdist;

import io.jdist.term.Pid;
import io.jdist.term.Ref;

/**
 * What {@link Mailbox#spawnMonitor} returns, as Erlang's {@code spawn_monitor/4} returns {@code
 * {Pid, Ref}}.
 *
 * @param pid the new process
 * @param monitor the monitor's reference, which the {@code 'DOWN'} message carries
 */
public record Spawned(Pid pid, Ref monitor) {
}
