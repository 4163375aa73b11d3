package io.jdist.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.GenServer;
import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every shell command on one Java node, in this JVM, through {@link Shell#execute}: the exact line
 * each prints, and {@code error:} lines for what cannot run. Interop with other nodes is tested
 * through the command itself ({@code NodeShellErlangTest}, {@code NodeShellJavaTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellTest {

    private EmbeddedEpmd.Lease epmd;
    private Node node;
    private Shell shell;
    private String self;
    private String nodeAtom;

    @BeforeEach
    void start() throws IOException {
        InetAddress host = InetAddress.getByName(InetAddress.getLocalHost().getHostName());
        epmd = EmbeddedEpmd.acquire(host, 0);
        node = Node.start(NodeConfig.builder().sname("shell_" + Long.toHexString(System.nanoTime()))
                .cookie("shell-test-cookie").epmdPort(epmd.port()).bindAddress(host).build());
        shell = new Shell(node, Duration.ofSeconds(5));
        self = shell.process().self().toString();
        nodeAtom = Atom.of(node.name()).toString();
    }

    @AfterEach
    void stop() {
        shell.close();
        node.close();
        epmd.close();
    }

    private String run(String line) {
        return shell.execute(line).line();
    }

    @Test
    void selfIsTheShellsPidInCommandsAndInTerms() {
        assertEquals(self, run("self"));
        assertTrue(self.startsWith("#Pid<" + nodeAtom + "."), self);
        assertEquals("{hello," + self + "}", run("send self() {hello, self()}"));
        assertEquals("{hello," + self + "}", run("receive 1000"));
        assertEquals("\"self()\"", run("send self() \"self()\""), "a string is left alone");
        assertEquals("\"self()\"", run("receive 1000"));
    }

    @Test
    void blankLinesAndCommentsPrintNothing() {
        assertNull(run(""));
        assertNull(run("   "));
        assertNull(run("% a comment"));
        assertEquals("[]", run("nodes % what is connected"));
    }

    @Test
    void registerMakesTheShellReachableByName() throws InterruptedException {
        assertEquals("true", run("register shell"));
        try (Mailbox other = node.createMailbox()) {
            other.send("shell", Atom.of("hi"));
            assertEquals("hi", run("receive 1000"));
        }
        assertEquals("{x,1}", run("send shell {x, 1}"));
        assertEquals("{x,1}", run("receive 1000"));
        assertEquals("{y,2}", run("send {shell, " + nodeAtom + "} {y, 2}"));
        assertEquals("{y,2}", run("receive 1000"));
        assertTrue(run("register again").startsWith("error: mailbox " + self + " is already registered as shell"),
                run("register again"));
    }

    @Test
    void receiveWaitsUpToItsTimeoutAndFlushTakesEverything() {
        assertEquals("timeout", run("receive 0"));
        long start = System.nanoTime();
        assertEquals("timeout", run("receive 200"));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "waited the timeout");
        run("send self() 1");
        run("send self() <<\"two\">>");
        run("send self() [3]");
        assertEquals("[1,<<\"two\">>,[3]]", run("flush"));
        assertEquals("[]", run("flush"));
    }

    @Test
    void monitorsFireAndDemonitorRemovesThem() throws InterruptedException {
        Mailbox worker = node.createMailbox("worker");
        String byName = run("monitor worker");
        String byPid = run("monitor " + worker.self());
        assertTrue(byName.startsWith("#Ref<" + nodeAtom + "."), byName);
        Mailbox other = node.createMailbox();
        String removed = run("monitor " + other.self());
        assertEquals("true", run("demonitor " + removed));
        assertEquals("false", run("demonitor " + removed));

        worker.close(Atom.of("done"));
        other.close();
        String first = run("receive 5000");
        String second = run("receive 5000");
        assertEquals(java.util.Set.of("{'DOWN'," + byName + ",process,{worker," + nodeAtom + "},done}",
                "{'DOWN'," + byPid + ",process," + worker.self() + ",done}"), java.util.Set.of(first, second));
        assertEquals("timeout", run("receive 200"), "the removed monitor does not fire");
    }

    @Test
    void aLinkedProcessEndingArrivesAsAnExitMessage() {
        Mailbox worker = node.createMailbox("linked");
        assertEquals("true", run("link linked"));
        worker.close(Atom.of("crashed"));
        assertEquals("{'EXIT'," + worker.self() + ",crashed}", run("receive 5000"));
        assertEquals(self, run("self"), "the shell traps exits: its process lives on");
    }

    @Test
    void aKilledShellProcessIsReplacedByANewOne() throws InterruptedException {
        try (Mailbox killer = node.createMailbox()) {
            Pid before = shell.process().self();
            killer.exit(before, Atom.of("kill"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (shell.process().self().equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String after = run("self");
            assertNotEquals(before.toString(), after);
            assertEquals("ok", run("send self() ok"));
            assertEquals("ok", run("receive 1000"), "the new process receives");
        }
    }

    @Test
    void aliasesAreDestinations() throws InterruptedException {
        try (Mailbox target = node.createMailbox()) {
            String alias = target.alias().toString();
            assertEquals("via_alias", run("send " + alias + " via_alias"));
            assertEquals(Atom.of("via_alias"), target.receive(Duration.ofSeconds(5)).orElseThrow());
            assertEquals("error: monitor takes a pid, a Name or {Name, Node}, not an alias", run("monitor " + alias));
        }
    }

    @Test
    void callRpcAndSpawnReachJavaProcessesToo() {
        node.startServer("counter", new GenServer() {
            private long count;

            @Override
            public Object handleCall(Term request, Pid from) {
                return Tuple.of(request, ++count);
            }
        });
        node.registerFunction("calc", "add", 2,
                (process, args) -> ((Int) args.get(0)).value() + ((Int) args.get(1)).value());
        node.registerFunction("calc", "report", 1, (process, args) -> {
            process.send((Pid) args.get(0), Tuple.of(Atom.of("reported"), process.self()));
            return Atom.OK;
        });

        assertEquals("{next,1}", run("call counter next"));
        assertEquals("{next,2}", run("call {counter, " + nodeAtom + "} next"));
        assertEquals("3", run("rpc " + nodeAtom + " calc add [1, 2]"));
        String pid = run("spawn " + nodeAtom + " calc report [self()]");
        assertTrue(pid.startsWith("#Pid<" + nodeAtom + "."), pid);
        assertEquals("{reported," + pid + "}", run("receive 5000"));
        assertTrue(run("call nobody hi").startsWith("error: call to {nobody, " + node.name() + "}: no such process"),
                run("call nobody hi"));
        assertTrue(run("rpc " + nodeAtom + " calc nothing []").startsWith("error: rpc calc:nothing/0 on "
                + node.name() + " failed: {error,undef,"), run("rpc " + nodeAtom + " calc nothing []"));
    }

    @Test
    void helpListsTheCommandsOnOneLineAndSaysWhatOneDoes() {
        assertEquals("[nodes,connect,disconnect,ping,register,send,'receive',flush,monitor,demonitor,link,spawn,rpc,"
                + "call,self,help,quit]", run("help"));
        assertEquals("spawn Node M F Args: starts M:F(Args...) on Node: its pid", run("help spawn"));
        assertTrue(shell.execute("help").display().lines().count() > ShellCommand.values().length,
                "the terminal shows a table");
    }

    @Test
    void mistakesGiveOneErrorLineSayingWhat() {
        assertEquals("error: unknown command 'sned'; the commands are nodes, connect, disconnect, ping, register, send,"
                + " receive, flush, monitor, demonitor, link, spawn, rpc, call, self, help, quit", run("sned x y"));
        assertEquals("error: send needs Dest Term: Term is missing", run("send self()"));
        assertEquals("error: Term {a,: column 4: expected a term but was end of input", run("send self() {a,"));
        assertEquals("error: nodes takes no arguments but was given x", run("nodes x"));
        assertEquals("error: receive [TimeoutMs] takes at most one argument but was given 1 2", run("receive 1 2"));
        assertEquals("error: expected TimeoutMs to be a number of milliseconds, 0 or more, but was -1",
                run("receive -1"));
        assertEquals("error: expected Ref to be a reference, #Ref<...>, but was 1", run("demonitor 1"));
        assertEquals("error: expected M to be an atom but was \"lists\"", run("rpc " + nodeAtom + " \"lists\" f []"));
        assertEquals("error: expected Args to be a list, such as [1, <<\"x\">>], but was x",
                run("rpc " + nodeAtom + " m f x"));
        assertEquals("error: expected a pid, a registered name, {Name, Node} or an alias but was 42", run("send 42 x"));
        assertEquals("error: no process is registered as nobody on " + node.name(), run("send nobody x"));
        assertEquals("error: link takes a pid or a name registered on this node: Erlang links to pids only",
                run("link {x, 'b@h'}"));
    }

    @Test
    void quitPrintsOkAndEndsTheShell() {
        Shell.Reply reply = shell.execute("quit");
        assertEquals("ok", reply.line());
        assertTrue(reply.quit());
        assertFalse(shell.execute("self").quit());
    }
}
