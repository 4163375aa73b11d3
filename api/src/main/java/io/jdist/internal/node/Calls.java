package io.jdist.internal.node;

import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls and rpc from Java, each through a short-lived process of its own, so that no user mailbox
 * sees the replies.
 *
 * <p>A call has {@code gen_server}'s wire shape as OTP 25 sends it: the caller monitors the server,
 * makes the monitor's reference an alias, and sends {@code {'$gen_call', {Caller, [alias | Ref]},
 * Request}}; the server answers {@code {[alias | Ref], Reply}} to the alias or to the caller.
 *
 * <p>An rpc is what OTP 25's own {@code rpc:call/5} does (it goes through {@code erpc:call/5}): a
 * spawn request of {@code erpc:execute_call(Ref, M, F, Args)} with a monitor. That function runs
 * the call and exits with {@code {Ref, return, Value}} (or {@code throw}, {@code exit}, {@code
 * error}), so the result travels as the monitor's 'DOWN' reason. It needs nothing on the peer but
 * the SPAWN flag, which every OTP 23+ node has, and a node that goes down shows as a 'DOWN' with
 * {@code noconnection}. The older path, a {@code gen_server} call to the peer's {@code rex}, would
 * work too but is what OTP itself left behind.
 */
public final class Calls {

    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom ALIAS = Atom.of("alias");
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom RETURN = Atom.of("return");

    /** How a call or rpc failed; the public API turns it into its exception types. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Term reason;

        Failure(String message, Term reason) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** {@code noproc}, {@code noconnection}, {@code timeout}, or another reason. */
        public Term reason() {
            return reason;
        }
    }

    private final NodeCore node;

    public Calls(NodeCore node) {
        this.node = node;
    }

    /**
     * {@code gen_server:call(Target, Request, Timeout)}; {@code target} is a pid, or an atom
     * registered on {@code nodeName}.
     */
    public Term call(Term target, String nodeName, Term request, Duration timeout, String what)
            throws InterruptedException, Failure {
        Processes processes = node.processes();
        Ref ref = node.newRef();
        Term tag = ErlList.improper(List.of(ALIAS), ref);
        CompletableFuture<Term> result = new CompletableFuture<>();
        Pid self = processes.spawn(message -> {
            if (message instanceof Tuple t && t.arity() == 2 && t.get(0).equals(tag)) {
                result.complete(t.get(1));
            } else if (isDown(message, ref)) {
                result.completeExceptionally(failure(what, ((Tuple) message).get(4)));
            }
        });
        try {
            processes.alias(self, ref);
            processes.monitor(self, target, nodeName, ref);
            Term call = Tuple.of(GEN_CALL, Tuple.of(self, tag), request);
            if (target instanceof Pid pid) {
                node.send(self, pid, call);
            } else {
                node.send(self, (Atom) target, nodeName, call);
            }
            return await(result, timeout, what);
        } finally {
            processes.demonitor(self, ref);
            processes.exit(self, Processes.NORMAL);
        }
    }

    /** {@code rpc:call(Node, M, F, Args, Timeout)} as OTP 25 makes it; see the class comment. */
    public Term rpc(String nodeName, Atom module, Atom function, List<Term> args, Duration timeout)
            throws InterruptedException, Failure {
        String what = "rpc " + module + ":" + function + "/" + args.size() + " on " + nodeName;
        long deadline = System.nanoTime() + timeout.toNanos();
        Processes processes = node.processes();
        Ref reqId = node.newRef();
        Ref resultTag = node.newRef();
        CompletableFuture<Term> down = new CompletableFuture<>();
        Pid self = processes.spawn(message -> {
            if (isDown(message, reqId)) {
                down.complete(((Tuple) message).get(4));
            }
        });
        try {
            if (!nodeName.equals(node.name())) {
                requireSpawn(nodeName, deadline, what);
            }
            CompletableFuture<Pid> spawned = node.spawns().request(self, nodeName, ERPC, EXECUTE_CALL,
                    List.of(resultTag, module, function, ErlList.of(args)), false, true, reqId);
            await(spawned, remaining(deadline), what);
            Term reason = await(down, remaining(deadline), what);
            if (reason instanceof Tuple t && t.arity() >= 3 && t.get(0).equals(resultTag)) {
                if (t.get(1).equals(RETURN) && t.arity() == 3) {
                    return t.get(2);
                }
                // {Ref, throw, V}, {Ref, exit, R}, {Ref, error, R, Stack}, {Ref, error, {erpc, R}}
                Term failure = Tuple.of(t.elements().subList(1, t.arity()));
                throw new Failure(what + " failed: " + failure, failure);
            }
            throw failure(what, reason);
        } finally {
            processes.demonitor(self, reqId);
            processes.exit(self, Processes.NORMAL);
        }
    }

    /** Waits until the connection is up and checks the peer takes spawn requests. */
    private void requireSpawn(String nodeName, long deadline, String what) throws InterruptedException, Failure {
        long flags = await(node.negotiatedFlags(nodeName), remaining(deadline), what);
        if ((flags & io.jdist.internal.handshake.DistFlags.SPAWN) == 0) {
            throw new Failure(what + ": the node does not take spawn requests", Atom.of("notsup"));
        }
    }

    private static boolean isDown(Term message, Ref ref) {
        return message instanceof Tuple t && t.arity() == 5 && t.get(0).equals(DOWN) && t.get(1).equals(ref);
    }

    private static Failure failure(String what, Term reason) {
        if (reason.equals(Processes.NOPROC)) {
            return new Failure(what + ": no such process", reason);
        }
        if (reason.equals(Processes.NOCONNECTION)) {
            return new Failure(what + ": no connection to the node", reason);
        }
        return new Failure(what + ": the process exited with " + reason, reason);
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what)
            throws InterruptedException, Failure {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new Failure(what + ": no reply within " + timeout.toMillis() + " ms", Atom.of("timeout"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Failure f) {
                throw f;
            }
            if (cause instanceof SpawnRequests.SpawnFailedException s) {
                throw new Failure(what + ": " + s.getMessage(), s.reason());
            }
            throw new Failure(what + ": " + cause.getMessage(), Processes.NOCONNECTION);
        }
    }
}
