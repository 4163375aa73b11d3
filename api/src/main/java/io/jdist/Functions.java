package io.jdist;

import io.jdist.internal.node.NodeCore;
import io.jdist.internal.node.SpawnRequests;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Closure;
import io.jdist.term.ErlList;
import io.jdist.term.ExportFun;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The {@link ProcessFunction}s of a node, and the processes that run them for peers' spawn
 * requests. {@code erpc:execute_call/4}, which OTP's {@code rpc:call} and {@code erpc:call} spawn,
 * is built in: it runs the registered function and exits with its result as Erlang's does. So is
 * {@code erlang:apply/2} of a fun, which {@code spawn(Node, Fun)} asks for.
 */
final class Functions implements SpawnRequests.SpawnService {

    private static final System.Logger LOG = System.getLogger("io.jdist.process");
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom EXECUTE_CAST = Atom.of("execute_cast");
    private static final Atom ERLANG = Atom.of("erlang");
    private static final Atom APPLY = Atom.of("apply");
    private static final Atom UNDEF = Atom.of("undef");
    private static final Atom BADARITY = Atom.of("badarity");
    private static final Atom RETURN = Atom.of("return");
    private static final Atom EXIT = Atom.of("exit");
    private static final Atom NORMAL = Atom.of("normal");
    private static final Atom JAVA_EXCEPTION = Atom.of("java_exception");

    private record Key(Atom module, Atom function, int arity) {
    }

    private final NodeCore core;
    private final ExecutorService executor;
    private final Map<Key, ProcessFunction> functions = new ConcurrentHashMap<>();

    Functions(NodeCore core, ExecutorService executor) {
        this.core = core;
        this.executor = executor;
    }

    void register(String module, String function, int arity, ProcessFunction body) {
        if (arity < 0 || arity > 255) {
            throw new IllegalArgumentException("arity must be 0 to 255 but was " + arity);
        }
        functions.put(new Key(Atom.of(module), Atom.of(function), arity), body);
    }

    boolean unregister(String module, String function, int arity) {
        return functions.remove(new Key(Atom.of(module), Atom.of(function), arity)) != null;
    }

    @Override
    public SpawnRequests.Spawn create(Atom module, Atom function, List<Term> args) {
        Mailbox mailbox = new Mailbox(core);
        return new SpawnRequests.Spawn(mailbox.self(), () -> executor.execute(() -> run(mailbox, module, function, args)));
    }

    private void run(Mailbox self, Atom module, Atom function, List<Term> args) {
        if (module.equals(ERPC) && function.equals(EXECUTE_CALL) && args.size() == 4
                && args.get(1) instanceof Atom m && args.get(2) instanceof Atom f
                && args.get(3) instanceof ErlList a && a.isProper()) {
            self.close(callResult(args.get(0), call(self, m, f, a.elements(), false)));
        } else if (module.equals(ERPC) && function.equals(EXECUTE_CAST) && args.size() == 3
                && args.get(0) instanceof Atom m && args.get(1) instanceof Atom f
                && args.get(2) instanceof ErlList a && a.isProper()) {
            self.close(exitReason(call(self, m, f, a.elements(), true)));
        } else {
            self.close(exitReason(call(self, module, function, args, true)));
        }
    }

    /** How a call of a function ended, which a spawned process and an rpc report differently. */
    private sealed interface Outcome {
        /** It returned {@code value}. */
        record Returned(Term value) implements Outcome {
        }

        /** It exited with {@code reason}. */
        record Exited(Term reason) implements Outcome {
        }

        /** It failed with an error, as Erlang's {@code error(Reason)} with {@code stack}. */
        record Failed(Term reason, ErlList stack) implements Outcome {
        }
    }

    /** A spawned process's exit reason: normal, the exit's reason, or {Reason, Stack} for an error. */
    private static Term exitReason(Outcome outcome) {
        if (outcome instanceof Outcome.Returned) {
            return NORMAL;
        }
        if (outcome instanceof Outcome.Exited e) {
            return e.reason();
        }
        Outcome.Failed f = (Outcome.Failed) outcome;
        return Tuple.of(f.reason(), f.stack());
    }

    /** erpc:execute_call(Ref, M, F, Args)'s exit reason, which carries the result to the caller. */
    private static Term callResult(Term ref, Outcome outcome) {
        if (outcome instanceof Outcome.Returned r) {
            return Tuple.of(ref, RETURN, r.value());
        }
        if (outcome instanceof Outcome.Exited e) {
            return Tuple.of(ref, EXIT, e.reason());
        }
        Outcome.Failed f = (Outcome.Failed) outcome;
        return Tuple.of(ref, Atom.ERROR, f.reason(), f.stack());
    }

    /**
     * Calls {@code M:F(Args)}. {@code erlang:apply(Fun, Args)}, which {@code spawn(Node, Fun)} and
     * an rpc of a fun ask for, calls an external fun's function; a closure cannot run here, and
     * fails as a closure whose code a node does not have fails on an Erlang node. {@code spawned}
     * says whether a spawned process, whose parent learns of a failure only through a link or a
     * monitor, runs it: its failures are logged.
     */
    private Outcome call(Mailbox self, Atom module, Atom function, List<Term> args, boolean spawned) {
        if (module.equals(ERLANG) && function.equals(APPLY) && args.size() == 2
                && args.get(1) instanceof ErlList a && a.isProper()) {
            List<Term> funArgs = a.elements();
            if (args.get(0) instanceof Closure closure) {
                if (spawned) {
                    LOG.log(System.Logger.Level.WARNING, "process {0} ended with undef: a Java node cannot run the "
                            + "closure {1}/{2}; spawn a registered function by module, function and arguments "
                            + "instead", self.self(), closure, closure.arity());
                }
                return new Outcome.Failed(UNDEF, ErlList.of(Tuple.of(closure, a, ErlList.NIL)));
            }
            if (args.get(0) instanceof ExportFun fun) {
                if (fun.arity() != funArgs.size()) {
                    return new Outcome.Failed(Tuple.of(BADARITY, Tuple.of(fun, a)),
                            ErlList.of(Tuple.of(ERLANG, APPLY, Int.of(2), ErlList.NIL)));
                }
                return call(self, fun.module(), fun.function(), funArgs, spawned);
            }
        }
        ProcessFunction body = functions.get(new Key(module, function, args.size()));
        if (body == null) {
            if (spawned) {
                LOG.log(System.Logger.Level.WARNING, "process {0} ended with undef: no function {1}:{2}/{3} is "
                        + "registered", self.self(), module, function, args.size());
            }
            // As an Erlang process calling an undefined function: {undef, [{M, F, Args, []}]}.
            return new Outcome.Failed(UNDEF, ErlList.of(Tuple.of(module, function, ErlList.of(args), ErlList.NIL)));
        }
        try {
            Object value = body.apply(self, args);
            // An rpc's value travels back, converted here so that a value with no term fails the
            // rpc; a spawned process's value is dropped, whatever it is.
            return new Outcome.Returned(spawned || value == null ? Atom.OK : Term.of(value));
        } catch (ExitException e) {
            return new Outcome.Exited(e.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Exited(Atom.of("killed"));
        } catch (Exception | Error e) {
            String what = module + ":" + function + "/" + args.size();
            if (spawned) {
                LOG.log(System.Logger.Level.WARNING, "process " + self.self() + " running " + what + " crashed", e);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "rpc of " + what + " failed", e);
            }
            return new Outcome.Failed(javaException(e), ErlList.NIL);
        }
    }

    /** {java_exception, Class, Message}: a Java failure as an Erlang error reason. */
    static Term javaException(Throwable e) {
        return Tuple.of(JAVA_EXCEPTION, Atom.of(e.getClass().getName()),
                Binary.of(e.getMessage() != null ? e.getMessage() : ""));
    }
}
