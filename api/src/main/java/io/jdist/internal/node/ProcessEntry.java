package io.jdist.internal.node;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The signal state of one local process: its links, the monitors it holds and those held on it,
 * its aliases. Guarded by {@link #lock}, which is held only for short updates, never while
 * delivering or sending, and never together with another process's lock.
 */
final class ProcessEntry {

    /** One link, with the state OTP's UNLINK_ID protocol needs. */
    static final class Link {
        boolean active = true;
        /** The id of this side's pending UNLINK_ID while {@link #active} is false. */
        long unlinkId;
    }

    /** A monitor this process holds: the target pid, or a name on a node. */
    record Monitored(Pid pid, Atom name, Atom node) {
        /** The target as the {@code 'DOWN'} message names it: a pid, or {@code {Name, Node}}. */
        Term item() {
            return pid != null ? pid : Tuple.of(name, node);
        }

        Atom targetNode() {
            return pid != null ? pid.node() : node;
        }

        /** The target as MONITOR_P and DEMONITOR_P carry it: a pid or a bare name. */
        Term wireTarget() {
            return pid != null ? pid : name;
        }
    }

    /** A monitor held on this process: the watcher, and the name it used, if any. */
    record Watcher(Pid pid, Atom name) {
    }

    final Pid pid;
    final NodeCore.LocalProcess body;
    final ReentrantLock lock = new ReentrantLock();
    volatile boolean trapExit;
    /** Guarded by lock. */
    boolean alive = true;
    final Map<Pid, Link> links = new HashMap<>();
    final Map<Ref, Monitored> monitoring = new HashMap<>();
    final Map<Ref, Watcher> watchers = new HashMap<>();
    final Set<Ref> aliases = new HashSet<>();

    ProcessEntry(Pid pid, NodeCore.LocalProcess body) {
        this.pid = pid;
        this.body = body;
    }

    /** Runs {@code update} under the lock if the process is still alive; returns whether it was. */
    boolean ifAlive(Runnable update) {
        lock.lock();
        try {
            if (!alive) {
                return false;
            }
            update.run();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
