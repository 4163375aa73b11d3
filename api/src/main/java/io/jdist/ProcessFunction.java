package io.jdist;

import io.jdist.term.Term;
import java.util.List;

/**
 * Java code that Erlang can run as {@code Module:Function/Arity} on a Java node, registered with
 * {@link Node#registerFunction}. It runs on a process of its own with a fresh {@link Mailbox}:
 *
 * <ul>
 *   <li>{@code spawn(JavaNode, M, F, Args)} (Elixir's {@code Node.spawn/4}) runs it; the process
 *       ends {@code normal} when it returns, or with the reason of an {@link ExitException} it
 *       throws; any other exception ends it with {@code {{java_exception, Class, Message}, []}},
 *       the shape of an Erlang error ({@code {Reason, Stack}});
 *   <li>{@code rpc:call(JavaNode, M, F, Args)} and {@code erpc:call} return its value, converted by
 *       {@link Term#of} ({@code null} becomes {@code ok}); an exception gives the caller {@code
 *       {badrpc, {'EXIT', ...}}} as an Erlang function's would;
 *   <li>{@code spawn(JavaNode, fun M:F/0)} (Elixir's {@code Node.spawn(node, &M.f/0)}) runs it
 *       too, as {@code erlang:apply/2} of the fun.
 * </ul>
 *
 * <p>A closure ({@code fun() -> ... end}, Elixir's {@code fn -> ... end}) cannot run on a Java
 * node, which has no Erlang code: {@code spawn(JavaNode, Closure)} gives a process that ends with
 * {@code {undef, [{Closure, [], []}]}}, as on an Erlang node that lacks the closure's module, and
 * the node logs a warning.
 *
 * <p>Each run has a thread of its own, so the function may block (in {@link Mailbox#receive()},
 * for instance).
 */
@FunctionalInterface
public interface ProcessFunction {

    /**
     * Runs the function.
     *
     * @param self the process's own mailbox; it is closed when the function ends
     * @param args the arguments, as many as the registered arity
     * @return the value an rpc returns; ignored when spawned
     * @throws Exception to fail the process or the rpc
     */
    Object apply(Mailbox self, List<Term> args) throws Exception;
}
