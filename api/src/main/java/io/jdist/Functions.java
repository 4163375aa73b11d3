package io.jdist;

import io.jdist.internal.node.NodeCore;
import io.jdist.internal.node.SpawnRequests;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The {@link ProcessFunction}s of a node, and the processes that run them for peers' spawn
 * requests. {@code erpc:execute_call/4}, which OTP's {@code rpc:call} and {@code erpc:call} spawn,
 * is built in: it runs the registered function and exits with its result as Erlang's does.
 */
final class Functions implements SpawnRequests.SpawnService {

    private static final System.Logger LOG = System.getLogger("io.jdist.process");
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom EXECUTE_CAST = Atom.of("execute_cast");
    private static final Atom UNDEF = Atom.of("undef");
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
            self.close(executeCall(self, args.get(0), m, f, a.elements()));
        } else if (module.equals(ERPC) && function.equals(EXECUTE_CAST) && args.size() == 3
                && args.get(0) instanceof Atom m && args.get(1) instanceof Atom f
                && args.get(2) instanceof ErlList a && a.isProper()) {
            self.close(execute(self, m, f, a.elements()));
        } else {
            self.close(execute(self, module, function, args));
        }
    }

    /** Runs a function as a spawned process: the exit reason. */
    private Term execute(Mailbox self, Atom module, Atom function, List<Term> args) {
        ProcessFunction body = functions.get(new Key(module, function, args.size()));
        if (body == null) {
            // As an Erlang process calling an undefined function: {undef, [{M, F, Args, []}]}.
            Term reason = Tuple.of(UNDEF, ErlList.of(Tuple.of(module, function, ErlList.of(args), ErlList.NIL)));
            LOG.log(System.Logger.Level.WARNING, "process {0} ended: no function {1}:{2}/{3} is registered",
                    self.self(), module, function, args.size());
            return reason;
        }
        try {
            body.apply(self, args);
            return NORMAL;
        } catch (ExitException e) {
            return e.reason();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Atom.of("killed");
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.WARNING, "process " + self.self() + " running " + module + ":" + function
                    + "/" + args.size() + " crashed", e);
            return Tuple.of(javaException(e), ErlList.NIL);
        }
    }

    /** erpc:execute_call(Ref, M, F, Args): the exit reason that carries the result. */
    private Term executeCall(Mailbox self, Term ref, Atom module, Atom function, List<Term> args) {
        ProcessFunction body = functions.get(new Key(module, function, args.size()));
        if (body == null) {
            return Tuple.of(ref, Atom.ERROR, UNDEF,
                    ErlList.of(Tuple.of(module, function, ErlList.of(args), ErlList.NIL)));
        }
        try {
            Object value = body.apply(self, args);
            return Tuple.of(ref, RETURN, value == null ? Atom.OK : Term.of(value));
        } catch (ExitException e) {
            return Tuple.of(ref, EXIT, e.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Tuple.of(ref, EXIT, Atom.of("killed"));
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "rpc of " + module + ":" + function + "/" + args.size() + " failed", e);
            return Tuple.of(ref, Atom.ERROR, javaException(e), ErlList.NIL);
        }
    }

    /** {java_exception, Class, Message}: a Java failure as an Erlang error reason. */
    static Term javaException(Throwable e) {
        return Tuple.of(JAVA_EXCEPTION, Atom.of(e.getClass().getName()),
                Binary.of(e.getMessage() != null ? e.getMessage() : ""));
    }
}
