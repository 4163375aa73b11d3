package io.jdist.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.node.AbstractInteropSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A visible Java node ({@code NodeConfig.Builder.visible(true)}) among real {@code erl} nodes of
 * OTP 25, whose {@code global} has {@code prevent_overlapping_partitions} on: Erlang lists it in
 * {@code nodes()}, and {@code global} and {@code pg} keep working with it connected.
 */
class TcpVisibleNodeInteropTest extends AbstractInteropSuite {

    /** Long enough for any global sync on loopback; global:sync/0 without an answer waits forever. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);

    @Override
    protected String carrier() {
        return "tcp";
    }

    @Test
    void erlangListsAVisibleJavaNodeInNodesBothWaysOfConnecting() throws InterruptedException {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode dialling = startErlang("erl");
        ErlangNode dialled = startErlang("erl");

        assertEquals(Atom.TRUE, dialling.eval("net_kernel:connect_node(" + atom(java) + ")"));
        assertTrue(java.connect(dialled.name()), "connect to " + dialled.name());

        for (ErlangNode erl : List.of(dialling, dialled)) {
            assertEquals(Atom.TRUE, erl.eval("lists:member(" + atom(java) + ", nodes())"),
                    erl.name() + "'s nodes() lists " + java.name());
            assertEquals(Atom.FALSE, erl.eval("lists:member(" + atom(java) + ", nodes(hidden))"),
                    erl.name() + "'s nodes(hidden) does not list " + java.name());
        }
    }

    @Test
    void globalSyncReturnsAndGlobalNamesWorkWithAVisibleJavaNodeConnected() {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode a = startErlang("a");
        ErlangNode b = startErlang("b");
        connect(a, b);
        connect(a, java);
        connect(b, java);

        for (ErlangNode erl : List.of(a, b)) {
            assertEquals(Atom.OK, erl.eval("global:sync()", SYNC_TIMEOUT), "global:sync() on " + erl.name());
            assertEquals(Atom.TRUE, erl.eval("lists:member(" + atom(java) + ", "
                    + "gen_server:call(global_name_server, get_synced))"),
                    "global on " + erl.name() + " counts " + java.name() + " as synced");
        }
        Term pid = a.eval("P = spawn(fun() -> receive stop -> ok end end), register(holder, P), "
                + "yes = global:register_name(shared, P), P");
        assertEquals(pid, a.eval("global:whereis_name(shared)"));
        assertEquals(pid, b.eval("global:sync(), global:whereis_name(shared)", SYNC_TIMEOUT));
        assertEquals(Atom.OK, b.eval("global:trans({trans_id, self()}, fun() -> ok end)", SYNC_TIMEOUT),
                "global:trans/2 locks on [node() | nodes()], the Java node too");
    }

    @Test
    void theJavaNodeHoldsGlobalLocksUntilReleasedOrTheHolderDies() {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode erl = startErlang("erl");
        connect(erl, java);
        String onJava = "[" + atom(java) + "]";

        erl.eval("register(first, spawn(fun() -> true = global:set_lock({res, first}, " + onJava + ", 0), "
                + "receive release -> global:del_lock({res, first}, " + onJava + ") end, receive stop -> ok end end))");
        eventuallyTrue(erl, "global:set_lock({res, other}, " + onJava + ", 0) =:= false",
                "the first holder's lock on the Java node refuses another requester");
        assertEquals(Atom.TRUE, erl.eval("global:set_lock({res, first}, " + onJava + ", 0)"),
                "the same requester id shares the lock");

        erl.eval("first ! release");
        eventuallyTrue(erl, "global:set_lock({res, second}, " + onJava + ", 0)", "released by del_lock");
        erl.eval("global:del_lock({res, second}, " + onJava + ")");

        erl.eval("register(third, spawn(fun() -> true = global:set_lock({res, third}, " + onJava + ", 0), "
                + "receive stop -> ok end end))");
        eventuallyTrue(erl, "global:set_lock({res, other}, " + onJava + ", 0) =:= false", "third holds it");
        erl.eval("exit(whereis(third), kill)");
        eventuallyTrue(erl, "global:set_lock({res, fourth}, " + onJava + ", 0)", "released when its holder dies");
    }

    @Test
    void pgKeepsWorkingAmongErlangNodesWithAVisibleJavaNodeConnected() {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode a = startErlang("a");
        ErlangNode b = startErlang("b");
        for (ErlangNode erl : List.of(a, b)) {
            erl.eval("{ok, _} = pg:start(pg)");
        }
        connect(a, b);
        connect(a, java);
        connect(b, java);

        a.eval("P = spawn(fun() -> receive stop -> ok end end), register(member, P), ok = pg:join(group, P)");
        eventuallyTrue(b, "pg:get_members(group) =:= [rpc:call(" + ErlangNode.atom(a.name())
                + ", erlang, whereis, [member])]", b.name() + " sees " + a.name() + "'s group member");
        assertEquals(Atom.TRUE, a.eval("lists:member(" + atom(java) + ", nodes())"), "still connected");
    }

    @Test
    void aVisibleJavaNodeIsNotCaughtInOverlappingPartitionHandling() throws InterruptedException {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode a = startErlang("a");
        ErlangNode b = startErlang("b");
        ErlangNode c = startErlang("c");
        for (ErlangNode erl : List.of(a, b, c)) {
            assertEquals(Tuple.of(Atom.OK, Atom.TRUE), erl.eval("application:get_env(kernel, "
                    + "prevent_overlapping_partitions)"), "OTP 25's default");
            captureWarnings(erl);
            connect(erl, java);
        }
        connect(a, b);
        connect(a, c);
        assertEquals(Atom.OK, a.eval("global:sync()", SYNC_TIMEOUT));

        // b loses a but stays up: global on a, b and c takes connections down so that no node is
        // in two partitions. The Java node is none of global's business, so it keeps them all.
        a.eval("erlang:disconnect_node(" + ErlangNode.atom(b.name()) + ")");
        c.kill();
        eventuallyTrue(a, "not lists:member(" + ErlangNode.atom(c.name()) + ", nodes())", "a sees c down");
        for (ErlangNode erl : List.of(a, b)) {
            assertEquals(Atom.OK, erl.eval("global:sync()", SYNC_TIMEOUT), "global:sync() on " + erl.name());
            assertEquals(Atom.TRUE, erl.eval("lists:member(" + atom(java) + ", nodes())"),
                    erl.name() + " still lists " + java.name());
            String warnings = ((Binary) erl.eval("{ok, Log} = file:read_file(\"warnings.log\"), Log")).utf8();
            assertFalse(warnings.contains(java.name()), erl.name() + " logged about " + java.name() + ":\n" + warnings);
        }
        assertTrue(java.nodes().containsAll(List.of(a.name(), b.name())), "Java keeps a and b: " + java.nodes());
    }

    @Test
    void erlangSeesAVisibleJavaNodeGoDownAndGlobalForgetsIt() {
        Node java = startJava("java", b -> b.visible(true));
        ErlangNode erl = startErlang("erl");
        erl.eval("register(watcher, spawn(fun W() -> ok = net_kernel:monitor_nodes(true), "
                + "receive {nodedown, N} -> put(down, N), receive {get, From} -> From ! {down, N} end end end))");
        connect(erl, java);
        assertEquals(Atom.OK, erl.eval("global:sync()", SYNC_TIMEOUT));

        java.close();

        assertEquals(Tuple.of(Atom.of("down"), Atom.of(java.name())),
                erl.eval("watcher ! {get, self()}, receive Down -> Down after 10000 -> timeout end"),
                "monitor_nodes(true) reports the visible node down");
        assertEquals(Atom.FALSE, erl.eval("lists:member(" + atom(java) + ", "
                + "gen_server:call(global_name_server, get_synced))"), "global no longer counts it as synced");
        assertEquals(Atom.OK, erl.eval("global:sync()", SYNC_TIMEOUT));
    }

    private static String atom(Node node) {
        return ErlangNode.atom(node.name());
    }

    private static void connect(ErlangNode erl, ErlangNode other) {
        assertEquals(Atom.TRUE, erl.eval("net_kernel:connect_node(" + ErlangNode.atom(other.name()) + ")"));
    }

    private static void connect(ErlangNode erl, Node java) {
        assertEquals(Atom.TRUE, erl.eval("net_kernel:connect_node(" + atom(java) + ")"));
    }

    /** Writes {@code erl}'s warnings and errors to {@code warnings.log} in its working directory. */
    private static void captureWarnings(ErlangNode erl) {
        assertEquals(Atom.OK, erl.eval("logger:add_handler(warnings, logger_std_h, "
                + "#{level => warning, config => #{file => \"warnings.log\"}})"));
    }

    private static void eventuallyTrue(ErlangNode erl, String expression, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!erl.eval(expression).equals(Atom.TRUE)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected within 10 s on " + erl.name() + ": " + what + " (" + expression + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
