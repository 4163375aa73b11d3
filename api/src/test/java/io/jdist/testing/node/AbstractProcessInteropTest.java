package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.CallException;
import io.jdist.CallTimeoutException;
import io.jdist.ExitException;
import io.jdist.GenServer;
import io.jdist.Mailbox;
import io.jdist.NoConnectionException;
import io.jdist.NoProcException;
import io.jdist.Node;
import io.jdist.Spawned;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The process interop suite: monitors, links, exit signals, spawn, calls, rpc and aliases between
 * a jdist {@link Node} on one carrier and a real {@code erl}, both ways, and between two Java
 * nodes, through the public API only. A carrier's test subclasses it and overrides {@link
 * AbstractInteropSuite}'s hooks, as it does for {@link AbstractNodeInteropTest}.
 *
 * <p>Erlang's side is driven by {@code jdist_node_peer} (evaluation over stdin) and the helpers of
 * {@code jdist_proc_peer}; Java hands Erlang its pids and references through the registered
 * process {@code jdist} that {@code jdist_proc_peer:serve/1} starts, which applies {@code {apply,
 * M, F, Args}} messages.
 */
public abstract class AbstractProcessInteropTest extends AbstractInteropSuite {

    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom PROCESS = Atom.of("process");
    private static final Atom NORMAL = Atom.of("normal");
    private static final Atom NOPROC = Atom.of("noproc");
    private static final Atom NOCONNECTION = Atom.of("noconnection");
    private static final Atom BYE = Atom.of("bye");
    private static final Atom BOOM = Atom.of("boom");
    private static final Atom APPLY = Atom.of("apply");
    private static final Atom PEER = Atom.of("jdist_proc_peer");

    // 1. Monitors.

    @Test
    void javaMonitorsErlangProcessAndGetsItsExitReason() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid waiter = (Pid) erl.eval("jdist_proc_peer:waiter()");

        Ref ref = mbox.monitor(waiter);
        mbox.send(waiter, Tuple.of(EXIT_CMD, BYE));

        assertEquals(Tuple.of(DOWN, ref, PROCESS, waiter, BYE), receive(mbox));
    }

    @Test
    void monitoringWhatDoesNotExistGivesNoprocAtOnce() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid gone = (Pid) erl.eval("P = spawn(fun() -> ok end), M = monitor(process, P), "
                + "receive {'DOWN', M, _, _, _} -> P end");

        Ref byPid = mbox.monitor(gone);
        assertEquals(Tuple.of(DOWN, byPid, PROCESS, gone, NOPROC), receive(mbox));
        Ref byName = mbox.monitor("nobody", erl.name());
        assertEquals(Tuple.of(DOWN, byName, PROCESS, Tuple.of(Atom.of("nobody"), Atom.of(erl.name())), NOPROC),
                receive(mbox));
        Ref local = mbox.monitor("nobody", java.name());
        assertEquals(Tuple.of(DOWN, local, PROCESS, Tuple.of(Atom.of("nobody"), Atom.of(java.name())), NOPROC),
                receive(mbox));
    }

    /** The seed walk-through: {@code Process.monitor({:my_iex, :"chip@host"})}, then the node dies. */
    @Test
    void monitorFiresNoconnectionWhenPeerDies() throws InterruptedException {
        Node java = startJava("dale");
        ErlangNode erl = startErlang("chip");
        erl.eval("jdist_proc_peer:waiter(my_iex)");
        Mailbox mbox = java.createMailbox();

        Ref ref = mbox.monitor("my_iex", erl.name());
        assertTrue(java.ping(erl.name()), "ping " + erl.name());
        erl.kill();

        assertEquals(Tuple.of(DOWN, ref, PROCESS, Tuple.of(Atom.of("my_iex"), Atom.of(erl.name())), NOCONNECTION),
                receive(mbox));
    }

    @Test
    void demonitorStopsTheDownMessage() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid waiter = (Pid) erl.eval("jdist_proc_peer:waiter()");

        Ref ref = mbox.monitor(waiter);
        assertTrue(mbox.demonitor(ref), "demonitor of a live monitor");
        assertFalse(mbox.demonitor(ref), "a second demonitor");
        Ref watch = mbox.monitor(waiter);
        mbox.send(waiter, Tuple.of(EXIT_CMD, BYE));

        assertEquals(Tuple.of(DOWN, watch, PROCESS, waiter, BYE), receive(mbox));
        assertEquals(Optional.empty(), mbox.receive(QUIET), "a message after the only live monitor's 'DOWN'");
    }

    @Test
    void erlangMonitorsJavaMailboxByPidAndByName() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox report = java.createMailbox();
        Mailbox byPid = java.createMailbox();
        Mailbox byName = java.createMailbox("target");
        serve(erl);

        apply(report, erl, "watch", byPid.self(), report.self());
        Term watcher = awaitTagged(report, "watching");
        apply(report, erl, "watch", Tuple.of(Atom.of("target"), Atom.of(java.name())), report.self());
        awaitTagged(report, "watching");
        apply(report, erl, "watch", Tuple.of(Atom.of("nobody"), Atom.of(java.name())), report.self());
        awaitTagged(report, "watching");
        assertEquals(Tuple.of(Atom.of("down"), Tuple.of(Atom.of("nobody"), Atom.of(java.name())), NOPROC),
                receive(report));

        byPid.close(Tuple.of(Atom.of("shutdown"), BYE));
        assertEquals(Tuple.of(Atom.of("down"), byPid.self(), Tuple.of(Atom.of("shutdown"), BYE)), receive(report));
        byName.close();
        assertEquals(Tuple.of(Atom.of("down"), Tuple.of(Atom.of("target"), Atom.of(java.name())), NORMAL),
                receive(report));
        assertTrue(watcher instanceof Pid);
    }

    @Test
    void erlangDemonitorsJavaMailbox() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox report = java.createMailbox();
        Mailbox target = java.createMailbox();
        serve(erl);

        apply(report, erl, "watch", target.self(), report.self());
        Pid watcher = (Pid) awaitTagged(report, "watching");
        report.send(watcher, Atom.of("demonitor"));
        assertEquals(Tuple.of(Atom.of("demonitored"), Atom.TRUE), receive(report));
        target.close(BYE);

        assertEquals(Atom.of("no_down"), receive(report));
    }

    // 2. Links and exit signals.

    @Test
    void linkedMailboxThatTrapsExitsGetsExitMessage() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid waiter = (Pid) erl.eval("jdist_proc_peer:waiter()");
        mbox.trapExit(true);

        mbox.link(waiter);
        eventually("Erlang lists the link", () -> erl.eval("element(2, process_info(" + erlPid(waiter) + ", links))")
                .equals(ErlList.of(mbox.self())));
        mbox.send(waiter, Tuple.of(EXIT_CMD, BOOM));

        assertEquals(Tuple.of(EXIT, waiter, BOOM), receive(mbox));
        assertTrue(mbox.isOpen(), "a mailbox that traps exits lives on");
    }

    @Test
    void exitSignalEndsLinkedMailboxAndFailsItsBlockedReceive() throws Exception {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid calm = (Pid) erl.eval("jdist_proc_peer:waiter()");
        Pid doomed = (Pid) erl.eval("jdist_proc_peer:waiter()");
        mbox.link(calm);
        mbox.link(doomed);
        CompletableFuture<Term> reason = blockedReceiveExit(mbox);

        mbox.send(calm, Tuple.of(EXIT_CMD, NORMAL));
        Thread.sleep(QUIET.toMillis());
        assertTrue(mbox.isOpen(), "a normal exit of a linked process does not end a mailbox");
        mbox.send(doomed, Tuple.of(EXIT_CMD, BOOM));

        assertEquals(BOOM, reason.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(mbox.isOpen());
        ExitException e = assertThrows(ExitException.class, mbox::receive);
        assertEquals(BOOM, e.reason());
    }

    @Test
    void linkAcrossDroppedConnectionDeliversNoconnection() throws Exception {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox trapping = java.createMailbox();
        Mailbox plain = java.createMailbox();
        Pid waiter = (Pid) erl.eval("jdist_proc_peer:waiter()");
        trapping.trapExit(true);
        trapping.link(waiter);
        plain.link(waiter);
        CompletableFuture<Term> plainReason = blockedReceiveExit(plain);
        assertTrue(java.ping(erl.name()), "ping " + erl.name());

        erl.kill();

        assertEquals(Tuple.of(EXIT, waiter, NOCONNECTION), receive(trapping));
        assertEquals(NOCONNECTION, plainReason.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void linkAcrossDisconnectDeliversNoconnectionToBothSides() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Mailbox report = java.createMailbox("report");
        serve(erl);
        mbox.trapExit(true);
        apply(report, erl, "link_to", mbox.self(), report.self());
        Pid linker = (Pid) awaitTagged(report, "linked");

        assertTrue(java.disconnect(erl.name()), "disconnect " + erl.name());

        assertEquals(Tuple.of(EXIT, linker, NOCONNECTION), receive(mbox));
        // Erlang's side of the link broke too; its report comes once Erlang reconnects to say so.
        assertEquals(Tuple.of(Atom.of("exit"), mbox.self(), NOCONNECTION), receive(report));
    }

    @Test
    void erlangLinkedToJavaMailboxGetsItsExitReason() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox report = java.createMailbox();
        Mailbox target = java.createMailbox();
        serve(erl);

        apply(report, erl, "link_to", target.self(), report.self());
        awaitTagged(report, "linked");
        target.close(Tuple.of(Atom.of("shutdown"), BYE));

        assertEquals(Tuple.of(Atom.of("exit"), target.self(), Tuple.of(Atom.of("shutdown"), BYE)), receive(report));

        // Linking to a mailbox that is gone gives noproc, as linking to a dead Erlang process does.
        apply(report, erl, "link_to", target.self(), report.self());
        awaitTagged(report, "linked");
        assertEquals(Tuple.of(Atom.of("exit"), target.self(), NOPROC), receive(report));
    }

    @Test
    void unlinkWorksBothWays() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Mailbox report = java.createMailbox();
        Pid waiter = (Pid) erl.eval("jdist_proc_peer:waiter()");
        serve(erl);

        mbox.link(waiter);
        eventually("Erlang lists the link", () -> erl.eval("element(2, process_info(" + erlPid(waiter) + ", links))")
                .equals(ErlList.of(mbox.self())));
        mbox.unlink(waiter);
        eventually("Erlang drops the link", () -> erl.eval("element(2, process_info(" + erlPid(waiter) + ", links))")
                .equals(ErlList.NIL));
        Ref ref = mbox.monitor(waiter);
        mbox.send(waiter, Tuple.of(EXIT_CMD, BOOM));
        assertEquals(Tuple.of(DOWN, ref, PROCESS, waiter, BOOM), receive(mbox));
        assertTrue(mbox.isOpen(), "an unlinked process's exit does not end the mailbox");

        Mailbox target = java.createMailbox();
        apply(report, erl, "link_then_unlink", target.self(), report.self());
        awaitTagged(report, "unlinked");
        target.close(BYE);
        assertEquals(Atom.of("no_exit"), receive(report));
    }

    @Test
    void exitSignalsFollowErlangRules() throws Exception {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        Pid erlServe = serve(erl);

        // exit(Pid, kill) from Java kills an Erlang process that traps exits: reason killed.
        Pid trapper = (Pid) erl.eval("spawn(fun() -> process_flag(trap_exit, true), receive never -> ok end end)");
        Ref ref = mbox.monitor(trapper);
        mbox.exit(trapper, Atom.of("kill"));
        assertEquals(Tuple.of(DOWN, ref, PROCESS, trapper, Atom.of("killed")), receive(mbox));

        // From Erlang: normal is ignored by a mailbox that does not trap, others end it.
        Mailbox plain = java.createMailbox();
        mbox.monitor(plain.self());
        apply(mbox, erl, "erlang", "exit", plain.self(), NORMAL);
        Thread.sleep(QUIET.toMillis());
        assertTrue(plain.isOpen(), "exit(Pid, normal) ends no process but the caller");
        apply(mbox, erl, "erlang", "exit", plain.self(), Atom.of("shutdown"));
        Tuple down = (Tuple) receive(mbox);
        assertEquals(Atom.of("shutdown"), down.get(4));

        // A mailbox that traps gets {'EXIT', From, Reason}, except for kill, which ends it as killed.
        Mailbox trapping = java.createMailbox();
        trapping.trapExit(true);
        apply(mbox, erl, "erlang", "exit", trapping.self(), Atom.of("shutdown"));
        assertEquals(Tuple.of(EXIT, erlServe, Atom.of("shutdown")), receive(trapping));
        CompletableFuture<Term> killed = blockedReceiveExit(trapping);
        apply(mbox, erl, "erlang", "exit", trapping.self(), Atom.of("kill"));
        assertEquals(Atom.of("killed"), killed.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    // 3. Spawn.

    @Test
    void nodeSpawnIntoErlangReturnsPidWhoseResultComesBack() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();

        Pid pid = java.spawn(erl.name(), "jdist_proc_peer", "send_back", List.of(mbox.self(), 42));

        assertEquals(Atom.of(erl.name()), pid.node());
        assertEquals(Tuple.of(pid, Atom.of(erl.name()), 42), receive(mbox));
    }

    @Test
    void spawnLinkAndSpawnMonitorIntoErlang() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        mbox.trapExit(true);

        Spawned monitored = mbox.spawnMonitor(erl.name(), "erlang", "exit", List.of(BYE));
        assertEquals(Tuple.of(DOWN, monitored.monitor(), PROCESS, monitored.pid(), BYE), receive(mbox));

        Pid linked = mbox.spawnLink(erl.name(), "erlang", "exit", List.of(BOOM));
        assertEquals(Tuple.of(EXIT, linked, BOOM), receive(mbox));

        Spawned undefined = mbox.spawnMonitor(erl.name(), "nomod", "nofun", List.of(1));
        assertEquals(Tuple.of(DOWN, undefined.monitor(), PROCESS, undefined.pid(), undef("nomod", "nofun", 1)),
                receive(mbox));

        // Output goes to the group leader on the Java node, which answers: the process does not hang.
        Spawned printing = mbox.spawnMonitor(erl.name(), "io", "format", List.of(ErlList.ofString("hello~n")));
        assertEquals(Tuple.of(DOWN, printing.monitor(), PROCESS, printing.pid(), NORMAL), receive(mbox));
    }

    @Test
    void erlangSpawnRunsRegisteredJavaFunction() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        java.registerFunction("jdist_demo", "greet", 1, (self, args) -> {
            self.send((Pid) args.get(0), Tuple.of(Atom.of("hello"), self.self()));
            Term reply = self.receive();
            throw new ExitException(Tuple.of(Atom.of("done"), reply));
        });

        Term result = erl.eval("{P, R} = spawn_monitor(" + atom(java) + ", jdist_demo, greet, [self()]), "
                + "receive {hello, P} -> P ! thanks end, "
                + "receive {'DOWN', R, process, P, Why} -> {node(P), Why} after 5000 -> timeout end");

        assertEquals(Tuple.of(Atom.of(java.name()), Tuple.of(Atom.of("done"), Atom.of("thanks"))), result);
        assertEquals(Tuple.of(EXIT, Tuple.of(Atom.of("done"), Atom.of("thanks"))), erl.eval(
                "process_flag(trap_exit, true), P = spawn_link(" + atom(java) + ", jdist_demo, greet, [self()]), "
                + "receive {hello, P} -> P ! thanks end, "
                + "receive {'EXIT', P, Why} -> {'EXIT', Why} after 5000 -> timeout end"),
                "spawn_link from Erlang links the Java process");
    }

    @Test
    void erlangSpawnOfUnknownJavaFunctionFailsWithUndef() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");

        Term result = erl.eval("{P, R} = spawn_monitor(" + atom(java) + ", nomod, nofun, [1]), "
                + "receive {'DOWN', R, process, P, Why} -> Why after 5000 -> timeout end");

        assertEquals(erl.eval("{P, R} = spawn_monitor(nomod, nofun, [1]), "
                + "receive {'DOWN', R, process, P, Why} -> Why after 5000 -> timeout end"), result,
                "the same reason as an Erlang process calling an undefined function");
        assertEquals(undef("nomod", "nofun", 1), result);
    }

    // 4. Calls and rpc.

    @Test
    void javaCallsGenServerStartedByTest() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Pid server = (Pid) erl.eval("jdist_proc_peer:start_server(test_server)");
        Duration timeout = Duration.ofSeconds(5);

        assertEquals(Tuple.of(Atom.of("echoed"), 1),
                java.call("test_server", erl.name(), Tuple.of(Atom.of("echo"), 1), timeout));
        assertEquals(Tuple.of(Atom.of("echoed"), 2), java.call(server, Tuple.of(Atom.of("echo"), 2), timeout));
        java.cast("test_server", erl.name(), Tuple.of(Atom.of("put"), 7));
        assertEquals(Int.of(7), java.call(server, Atom.of("get"), timeout));
    }

    @Test
    void concurrentCallsEachGetTheirOwnReply() throws Exception {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        erl.eval("jdist_proc_peer:start_server(test_server)");
        java.startServer("adder", new Adder());
        java.registerFunction("jdist_demo", "add", 2,
                (self, args) -> ((Int) args.get(0)).value() + ((Int) args.get(1)).value());
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Term>> replies = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                replies.add(callers.submit(() -> n % 2 == 0
                        ? java.call("test_server", erl.name(), Tuple.of(Atom.of("echo"), n), Duration.ofSeconds(10))
                        : java.rpc(erl.name(), "erlang", "abs", List.of(-n), Duration.ofSeconds(10))));
            }
            for (int i = 0; i < replies.size(); i++) {
                Term expected = i % 2 == 0 ? Tuple.of(Atom.of("echoed"), i) : Int.of(i);
                assertEquals(expected, replies.get(i).get(20, TimeUnit.SECONDS), "reply " + i);
            }
        } finally {
            callers.shutdownNow();
        }
        // And the other way: many Erlang processes calling the Java server and Java function at once.
        assertEquals(Atom.TRUE, erl.eval("J = " + atom(java) + ", Self = self(), "
                + "Ps = [spawn(fun() -> Self ! {self(), gen_server:call({adder, J}, {add, N, 1}), "
                + "rpc:call(J, jdist_demo, add, [N, 2])} end) || N <- lists:seq(1, 200)], "
                + "lists:all(fun({P, N}) -> receive {P, A, B} -> A =:= N + 1 andalso B =:= N + 2 "
                + "after 10000 -> false end end, lists:zip(Ps, lists:seq(1, 200)))", Duration.ofSeconds(40)));
    }

    @Test
    void javaCallFailuresAreDistinct() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Pid server = (Pid) erl.eval("jdist_proc_peer:start_server(test_server)");

        assertThrows(NoProcException.class, () -> java.call("nobody", erl.name(), Atom.of("get"), Duration.ofSeconds(5)));
        assertThrows(CallTimeoutException.class,
                () -> java.call(server, Tuple.of(Atom.of("sleep"), 2000), Duration.ofMillis(300)));
        CallException crash = assertThrows(CallException.class,
                () -> java.call(server, Tuple.of(Atom.of("stop"), BYE), Duration.ofSeconds(5)));
        assertEquals(BYE, crash.reason());
        assertThrows(NoProcException.class, () -> java.call(server, Atom.of("get"), Duration.ofSeconds(5)));

        Pid other = (Pid) erl.eval("jdist_proc_peer:start_server(other_server)");
        CompletableFuture<Throwable> during = CompletableFuture.supplyAsync(() -> {
            try {
                java.call(other, Tuple.of(Atom.of("sleep"), 20_000), Duration.ofSeconds(30));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(QUIET.toMillis());
        erl.kill();
        assertTrue(awaitValue(during) instanceof NoConnectionException, "a call across a dying connection");
        assertThrows(NoConnectionException.class, () -> java.call(other, Atom.of("get"), Duration.ofSeconds(5)));
    }

    @Test
    void javaRpcIntoErlang() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Duration timeout = Duration.ofSeconds(5);

        assertEquals(ErlList.of(3, 2, 1), java.rpc(erl.name(), "lists", "reverse", List.of(ErlList.of(1, 2, 3)),
                timeout));
        assertEquals(Atom.of(erl.name()), java.rpc(erl.name(), "erlang", "node", List.of(), timeout));
        CallException undefined = assertThrows(CallException.class,
                () -> java.rpc(erl.name(), "nomod", "nofun", List.of(1), timeout));
        assertEquals(Tuple.of(Atom.ERROR, Atom.of("undef"), ((Tuple) undef("nomod", "nofun", 1)).get(1)),
                undefined.reason());
        CallException thrown = assertThrows(CallException.class,
                () -> java.rpc(erl.name(), "erlang", "throw", List.of(Atom.of("oops")), timeout));
        assertEquals(Tuple.of(Atom.of("throw"), Atom.of("oops")), thrown.reason());
        CallException exited = assertThrows(CallException.class,
                () -> java.rpc(erl.name(), "erlang", "exit", List.of(BYE), timeout));
        assertEquals(Tuple.of(Atom.of("exit"), BYE), exited.reason());
        assertThrows(CallTimeoutException.class,
                () -> java.rpc(erl.name(), "timer", "sleep", List.of(2000), Duration.ofMillis(300)));
        erl.kill();
        assertThrows(NoConnectionException.class, () -> java.rpc(erl.name(), "erlang", "node", List.of(), timeout));
    }

    @Test
    void erlangRpcCallReachesJavaHandler() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        java.registerFunction("jdist_demo", "add", 2,
                (self, args) -> ((Int) args.get(0)).value() + ((Int) args.get(1)).value());
        java.registerFunction("jdist_demo", "fail", 0, (self, args) -> {
            throw new IllegalStateException("no luck");
        });

        assertEquals(Int.of(3), erl.eval("rpc:call(" + atom(java) + ", jdist_demo, add, [1, 2])"));
        assertEquals(Int.of(5), erl.eval("erpc:call(" + atom(java) + ", jdist_demo, add, [2, 3])"));
        assertEquals(erl.eval("rpc:call(node(), nomod, nofun, [1])"),
                erl.eval("rpc:call(" + atom(java) + ", nomod, nofun, [1])"),
                "an unregistered function gives the badrpc Erlang gives for an undefined one");
        assertEquals(Tuple.of(Atom.of("badrpc"), Tuple.of(EXIT, Tuple.of(Tuple.of(Atom.of("java_exception"),
                Atom.of("java.lang.IllegalStateException"), Binary.of("no luck")), ErlList.NIL))),
                erl.eval("rpc:call(" + atom(java) + ", jdist_demo, fail, [])"));
    }

    @Test
    void genServerCallFromErlangReachesJavaServer() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        java.startServer("java_server", new Adder());
        String server = "{java_server, " + atom(java) + "}";

        assertEquals(Int.of(3), erl.eval("gen_server:call(" + server + ", {add, 1, 2})"));
        assertEquals(Atom.OK, erl.eval("gen_server:cast(" + server + ", {put, 5})"));
        assertEquals(Int.of(5), erl.eval("gen_server:call(" + server + ", get)"));
        assertEquals(erl.eval("jdist_proc_peer:ask({nobody, " + atom(java) + "}, get, 2000)"),
                Tuple.of(Atom.of("caught"), Tuple.of(NOPROC, Tuple.of(Atom.of("gen_server"), Atom.of("call"),
                        ErlList.of(Tuple.of(Atom.of("nobody"), Atom.of(java.name())), Atom.of("get"), 2000)))));
    }

    /** A Java GenServer: adds numbers, and keeps a value it is cast. */
    private static final class Adder implements GenServer {
        private Term value = Atom.of("none");

        @Override
        public Object handleCall(Term request, Pid from) {
            if (request instanceof Tuple t && t.arity() == 3 && t.get(0).equals(Atom.of("add"))) {
                return ((Int) t.get(1)).value() + ((Int) t.get(2)).value();
            }
            return value;
        }

        @Override
        public void handleCast(Term request) {
            if (request instanceof Tuple t && t.arity() == 2) {
                value = t.get(1);
            }
        }
    }

    // 5. Aliases.

    @Test
    void aliasesWorkBothWays() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox();
        serve(erl);

        apply(mbox, erl, "alias_echo", mbox.self(), 3);
        Ref erlAlias = (Ref) awaitTagged(mbox, "alias");
        mbox.send(erlAlias, Atom.of("hi"));
        assertEquals(Tuple.of(Atom.of("via_alias"), Atom.of("hi")), receive(mbox));

        Ref javaAlias = mbox.alias();
        mbox.send(erlAlias, Tuple.of(Atom.of("send_to"), javaAlias, Atom.of("hello")));
        assertEquals(Atom.of("hello"), receive(mbox));
        assertTrue(mbox.unalias(javaAlias), "unalias");
        mbox.send(erlAlias, Tuple.of(Atom.of("send_to"), javaAlias, Atom.of("dropped")));
        assertEquals(Optional.empty(), mbox.receive(QUIET), "a message to an alias that was taken back");
    }

    /**
     * Given jdist's flags, OTP 25 sends SEND_SENDER and the EXIT_PAYLOAD forms, answers spawn
     * requests, replies to aliases and acknowledges unlinks with UNLINK_ID_ACK, and never falls back
     * to the older variants.
     */
    @Test
    void otp25SendsTheSenderAndPayloadFormsToJdist() throws InterruptedException {
        Logger wire = Logger.getLogger("io.jdist.dist");
        Level before = wire.getLevel();
        wire.setLevel(Level.ALL);
        try (LogCapture logs = LogCapture.start("io.jdist.dist")) {
            Node java = startJava("java");
            ErlangNode erl = startErlang("erl");
            Mailbox mbox = java.createMailbox();
            mbox.trapExit(true);
            Pid erlServe = serve(erl);
            erl.eval("jdist_proc_peer:start_server(test_server)");

            Pid linked = (Pid) erl.eval("jdist_proc_peer:waiter()");
            mbox.link(linked);
            Ref ref = mbox.monitor(linked);
            mbox.send(linked, Tuple.of(EXIT_CMD, BOOM));                           // PAYLOAD_EXIT, PAYLOAD_MONITOR_P_EXIT
            assertEquals(Tuple.of(EXIT, linked, BOOM), receive(mbox));
            assertEquals(Tuple.of(DOWN, ref, PROCESS, linked, BOOM), receive(mbox));
            Pid other = (Pid) erl.eval("jdist_proc_peer:waiter()");
            mbox.link(other);
            mbox.unlink(other);                                                    // UNLINK_ID_ACK
            apply(mbox, erl, "erlang", "exit", mbox.self(), BYE);                  // PAYLOAD_EXIT2
            assertEquals(Tuple.of(EXIT, erlServe, BYE), receive(mbox));
            Pid spawned = java.spawn(erl.name(), "jdist_proc_peer", "send_back", List.of(mbox.self(), 1)); // SPAWN_REPLY, SEND_SENDER
            assertEquals(Tuple.of(spawned, Atom.of(erl.name()), 1), receive(mbox));
            assertEquals(Atom.of("none"), java.call("test_server", erl.name(), Atom.of("get"), Duration.ofSeconds(5)));

            List<Integer> ops = logs.entries().stream().filter(e -> e.text().endsWith(" from " + erl.name()))
                    .map(e -> Integer.parseInt(e.text().replaceAll("received operation (\\d+) from .*", "$1")))
                    .distinct().sorted().toList();
            // 22 SEND_SENDER, 24 PAYLOAD_EXIT, 26 PAYLOAD_EXIT2, 28 PAYLOAD_MONITOR_P_EXIT, 31 SPAWN_REPLY,
            // 33 ALIAS_SEND (the call's reply), 36 UNLINK_ID_ACK; never 2 SEND, 3 EXIT, 8 EXIT2, 21 MONITOR_P_EXIT.
            for (int expected : List.of(22, 24, 26, 28, 31, 33, 36)) {
                assertTrue(ops.contains(expected), "OTP sent operation " + expected + "; it sent " + ops);
            }
            for (int old : List.of(2, 3, 8, 21)) {
                assertFalse(ops.contains(old), "OTP sent the old operation " + old + "; it sent " + ops);
            }
        } finally {
            wire.setLevel(before);
        }
    }

    // 6. Within one Java node, and between two.

    @Test
    void signalsBetweenMailboxesOfOneNode() throws Exception {
        Node java = startJava("java");
        Mailbox a = java.createMailbox();
        Mailbox b = java.createMailbox("b");
        Mailbox c = java.createMailbox();
        a.trapExit(true);

        a.link(b.self());
        Ref byName = a.monitor("b", java.name());
        Ref byPid = c.monitor(b.self());
        CompletableFuture<Term> bReason = blockedReceiveExit(b);
        c.exit(b.self(), NORMAL);
        Thread.sleep(QUIET.toMillis());
        assertTrue(b.isOpen(), "exit(Pid, normal) from another process is ignored");
        c.exit(b.self(), Atom.of("kill"));
        assertEquals(Atom.of("killed"), bReason.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Tuple.of(EXIT, b.self(), Atom.of("killed")), receive(a));
        assertEquals(Tuple.of(DOWN, byName, PROCESS, Tuple.of(Atom.of("b"), Atom.of(java.name())), Atom.of("killed")),
                receive(a));
        assertEquals(Tuple.of(DOWN, byPid, PROCESS, b.self(), Atom.of("killed")), receive(c));

        // A link exit that is not trapped spreads along links, as in Erlang.
        Mailbox d = java.createMailbox();
        Mailbox e = java.createMailbox();
        d.link(e.self());
        e.link(c.self());
        Ref watchE = a.monitor(e.self());
        d.close(BOOM);
        assertEquals(Tuple.of(DOWN, watchE, PROCESS, e.self(), BOOM), receive(a));
        assertFalse(c.isOpen(), "the exit reached c through e");

        Mailbox f = java.createMailbox();
        a.link(f.self());
        a.unlink(f.self());
        f.close(BOOM);
        Ref gone = a.monitor(f.self());
        assertEquals(Tuple.of(DOWN, gone, PROCESS, f.self(), NOPROC), receive(a));

        java.startServer("adder", new Adder());
        assertEquals(Int.of(3), java.call("adder", java.name(), Tuple.of(Atom.of("add"), 1, 2), Duration.ofSeconds(5)));
        assertThrows(NoProcException.class, () -> java.call("nobody", java.name(), Atom.of("get"), Duration.ofSeconds(5)));
        Ref alias = a.alias();
        f = java.createMailbox();
        f.send(alias, Atom.of("via_alias"));
        assertEquals(Atom.of("via_alias"), receive(a));
    }

    @Test
    void spawnCallRpcAndAliasesBetweenJavaNodes() throws InterruptedException {
        Node a = startJava("java_a");
        Node b = startJava("java_b");
        b.registerFunction("jdist_demo", "add", 2,
                (self, args) -> ((Int) args.get(0)).value() + ((Int) args.get(1)).value());
        b.registerFunction("jdist_demo", "echo", 1, (self, args) -> {
            self.send((Pid) args.get(0), Tuple.of(Atom.of("echo"), self.self()));
            return null;
        });
        Pid server = b.startServer("adder", new Adder());
        Mailbox mbox = a.createMailbox();
        Duration timeout = Duration.ofSeconds(5);

        assertEquals(Int.of(5), a.rpc(b.name(), "jdist_demo", "add", List.of(2, 3), timeout));
        assertEquals(Int.of(6), b.rpc(b.name(), "jdist_demo", "add", List.of(3, 3), timeout), "rpc to its own node");
        CallException undefined = assertThrows(CallException.class,
                () -> a.rpc(b.name(), "nomod", "nofun", List.of(), timeout));
        assertEquals(Atom.of("undef"), ((Tuple) undefined.reason()).get(1));

        Pid echo = a.spawn(b.name(), "jdist_demo", "echo", List.of(mbox.self()));
        assertEquals(Tuple.of(Atom.of("echo"), echo), receive(mbox));
        Spawned failing = mbox.spawnMonitor(b.name(), "nomod", "nofun", List.of(1));
        assertEquals(Tuple.of(DOWN, failing.monitor(), PROCESS, failing.pid(), undef("nomod", "nofun", 1)),
                receive(mbox));

        assertEquals(Int.of(7), a.call("adder", b.name(), Tuple.of(Atom.of("add"), 3, 4), timeout));
        a.cast(server, Tuple.of(Atom.of("put"), 9));
        assertEquals(Int.of(9), a.call(server, Atom.of("get"), timeout));
        assertThrows(NoProcException.class, () -> a.call("nobody", b.name(), Atom.of("get"), timeout));

        Mailbox other = b.createMailbox();
        Ref alias = mbox.alias();
        other.send(alias, Atom.of("via_alias"));
        assertEquals(Atom.of("via_alias"), receive(mbox));
    }

    // Helpers.

    private static final Atom EXIT_CMD = Atom.of("exit");

    /** {undef, [{M, F, [Arg], []}]}: the exit reason of a call of an undefined function. */
    private static Term undef(String module, String function, int arg) {
        return Tuple.of(Atom.of("undef"), ErlList.of(Tuple.of(Atom.of(module), Atom.of(function), ErlList.of(arg),
                ErlList.NIL)));
    }

    /** Starts the {@code jdist} process on {@code erl} that applies {@code {apply, M, F, Args}} messages. */
    private static Pid serve(ErlangNode erl) {
        return (Pid) erl.eval("jdist_proc_peer:serve(jdist)");
    }

    /** Has {@code erl}'s {@code jdist} process call {@code jdist_proc_peer:function(args)}. */
    private static void apply(Mailbox from, ErlangNode erl, String function, Object... args) {
        apply(from, erl, "jdist_proc_peer", function, args);
    }

    private static void apply(Mailbox from, ErlangNode erl, String module, String function, Object... args) {
        from.send("jdist", erl.name(), Tuple.of(APPLY, Atom.of(module), Atom.of(function), ErlList.of(args)));
    }

    /** Receives {Tag, Value} and returns Value. */
    private static Term awaitTagged(Mailbox mbox, String tag) throws InterruptedException {
        Term message = receive(mbox);
        if (message instanceof Tuple t && t.arity() == 2 && t.get(0).equals(Atom.of(tag))) {
            return t.get(1);
        }
        throw new AssertionError("expected {" + tag + ", _} but got " + message);
    }

    /** The reason of the ExitException that ends a receive blocked on {@code mbox}, from another thread. */
    private static CompletableFuture<Term> blockedReceiveExit(Mailbox mbox) {
        CompletableFuture<Term> reason = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Term unexpected = mbox.receive();
                reason.completeExceptionally(new AssertionError("expected an exit but received " + unexpected));
            } catch (ExitException e) {
                reason.complete(e.reason());
            } catch (InterruptedException e) {
                reason.completeExceptionally(e);
            }
        }, "blocked-receive");
        t.setDaemon(true);
        t.start();
        return reason;
    }

    private static Throwable awaitValue(CompletableFuture<Throwable> future) throws InterruptedException {
        try {
            return future.get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within " + RECEIVE_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** An Erlang expression for a pid of the evaluating node itself. */
    private static String erlPid(Pid pid) {
        return "list_to_pid(\"<0." + Integer.toUnsignedString(pid.id()) + "." + Integer.toUnsignedString(pid.serial())
                + ">\")";
    }
}
