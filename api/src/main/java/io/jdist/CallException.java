package io.jdist;

import io.jdist.term.Term;
import java.util.Objects;

/**
 * A call ({@link Node#call}) or rpc ({@link Node#rpc}) failed. The subclasses name the failures
 * callers usually tell apart, as Erlang's {@code gen_server:call} exits with {@code noproc}, {@code
 * noconnection} or {@code timeout}; any other failure is this class itself, with the reason Erlang
 * would report: the callee's exit reason, or for an rpc {@code {error, Reason, Stack}}, {@code
 * {exit, Reason}} or {@code {throw, Value}}.
 */
public class CallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Term reason;

    /** A failure with {@code reason}, described by {@code message}. */
    public CallException(String message, Term reason) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the call failed, as an Erlang term. */
    public Term reason() {
        return reason;
    }
}
