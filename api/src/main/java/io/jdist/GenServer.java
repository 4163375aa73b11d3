package io.jdist;

import io.jdist.term.Pid;
import io.jdist.term.Term;

/**
 * A Java object that answers {@code gen_server:call/2,3}, {@code GenServer.call/2,3} and casts
 * from any node, started with {@link Node#startServer}. Its methods run one message at a time on
 * the server's own thread, so they may block and need no locking of their own.
 *
 * <p>A method that throws ends the server, as a crash ends a {@code gen_server}: with the reason of
 * an {@link ExitException}, or {@code {{java_exception, Class, Message}, []}} for any other
 * exception. Callers then get the exit through their monitor.
 */
public interface GenServer {

    /**
     * Answers {@code gen_server:call(Server, Request)}.
     *
     * @param request the request
     * @param from the caller's pid
     * @return the reply, converted by {@link Term#of}; {@code null} replies {@code ok}
     */
    Object handleCall(Term request, Pid from) throws Exception;

    /** Handles {@code gen_server:cast(Server, Request)}. Does nothing unless overridden. */
    default void handleCast(Term request) throws Exception {
    }

    /** Handles any other message. Does nothing unless overridden. */
    default void handleInfo(Term message) throws Exception {
    }
}
