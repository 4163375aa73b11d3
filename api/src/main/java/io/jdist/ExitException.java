package io.jdist;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import java.util.Objects;

/**
 * The process behind a {@link Mailbox} has ended: it was closed, or an exit signal it did not trap
 * terminated it. {@link #reason()} is the exit reason, as Erlang's {@code 'EXIT'} and {@code 'DOWN'}
 * messages carry it: {@code normal} after {@link Mailbox#close()}, {@code killed} after {@code
 * exit(Pid, kill)}, {@code noconnection} when a link crossed a connection that went down.
 *
 * <p>It is an {@link IllegalStateException} because a mailbox whose process has ended can no
 * longer receive. Throwing it from a {@link ProcessFunction} or {@link GenServer} ends that process
 * with the exception's reason, as {@code exit(Reason)} does in Erlang.
 */
public class ExitException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Term reason;

    /** An exit of the process {@code pid} (may be {@code null}) with {@code reason}. */
    public ExitException(Pid pid, Term reason) {
        super((pid != null ? "process " + pid : "process") + " exited: " + Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
    }

    /** An exit with {@code reason} ({@link Term#of converted}), for code that ends its own process. */
    public ExitException(Object reason) {
        this(null, Term.of(reason));
    }

    /** The exit reason. */
    public Term reason() {
        return reason;
    }

    /** Whether the reason is {@code normal}, which Erlang does not treat as a failure. */
    public boolean isNormal() {
        return reason.equals(Atom.of("normal"));
    }
}
