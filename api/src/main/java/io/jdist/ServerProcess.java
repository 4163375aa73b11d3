package io.jdist;

import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/** Runs a {@link GenServer} on its mailbox: one thread, one message at a time. */
final class ServerProcess implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jdist.process");
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    private static final Atom ALIAS = Atom.of("alias");

    private final Mailbox mailbox;
    private final GenServer server;

    ServerProcess(Mailbox mailbox, GenServer server) {
        this.mailbox = mailbox;
        this.server = server;
    }

    @Override
    public void run() {
        try {
            while (true) {
                handle(mailbox.receive());
            }
        } catch (ExitException e) {
            if (mailbox.isOpen()) {
                mailbox.close(e.reason());
            }
        } catch (InterruptedException e) {
            mailbox.close(Atom.of("shutdown"));
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.WARNING, "server " + mailbox + " crashed", e);
            mailbox.close(Tuple.of(Functions.javaException(e), ErlList.NIL));
        }
    }

    private void handle(Term message) throws Exception {
        if (message instanceof Tuple t && t.arity() == 3 && t.get(0).equals(GEN_CALL)
                && t.get(1) instanceof Tuple from && from.arity() == 2 && from.get(0) instanceof Pid caller) {
            Object reply = server.handleCall(t.get(2), caller);
            reply(caller, from.get(1), reply == null ? Atom.OK : Term.of(reply));
        } else if (message instanceof Tuple t && t.arity() == 2 && t.get(0).equals(GEN_CAST)) {
            server.handleCast(t.get(1));
        } else {
            server.handleInfo(message);
        }
    }

    /** As gen:reply/2: {Tag, Reply} to the alias in a [alias | Ref] tag, else to the caller. */
    private void reply(Pid caller, Term tag, Term reply) {
        Term answer = Tuple.of(tag, reply);
        if (tag instanceof ErlList l && !l.isProper() && l.size() == 1 && l.get(0).equals(ALIAS)
                && l.tail() instanceof Ref alias) {
            mailbox.send(alias, answer);
        } else {
            mailbox.send(caller, answer);
        }
    }
}
