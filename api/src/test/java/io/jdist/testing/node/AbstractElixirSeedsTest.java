package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.CallException;
import io.jdist.GenServer;
import io.jdist.Mailbox;
import io.jdist.NoProcException;
import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import io.jdist.testing.ElixirNode;
import io.jdist.testing.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The walk-throughs of the seed documents, step by step, with real Elixir nodes and a Java node in
 * place of one of the {@code iex} sessions, in each role: "Nodes, Cookies, and Connecting Nodes"
 * ({@code node1}, {@code node2}), "Elixir Node Networking Basics" ({@code test1}, {@code test2}) and
 * "Remote Message Passing" ({@code chip}, {@code dale}). Each test is one walk-through in one role,
 * on the same nodes throughout, as a person at two terminals would run it; comments quote the
 * seed's step. The Elixir side runs the seed's own code ({@link ElixirNode} evaluates it in one
 * long-lived shell process with {@code IEx.Helpers} imported); the Java side does the same with
 * jdist's public API.
 *
 * <p>Where Elixir's answer differs because the peer is a Java node, the test says so and checks
 * what it is instead. One difference runs through all of them: a Java node is hidden, as
 * JInterface nodes are (it does not run {@code global}), so Elixir lists it in {@code
 * Node.list(:hidden)}, not in {@code Node.list()}.
 *
 * <p>A carrier's test subclasses it, as it does {@link AbstractNodeInteropTest}; a carrier whose
 * Elixir nodes need more than {@code --sname} overrides {@link #elixirNode}.
 */
public abstract class AbstractElixirSeedsTest extends AbstractInteropSuite {

    private static final Atom TRUE = Atom.TRUE;
    private static final Atom FALSE = Atom.FALSE;
    private static final Atom DOWN = Atom.of("DOWN");
    private static final Atom PROCESS = Atom.of("process");
    private static final Atom NOCONNECTION = Atom.of("noconnection");
    private static final Atom NOPROC = Atom.of("noproc");
    private static final Atom MY_IEX = Atom.of("my_iex");
    private static final Atom HELLO_FROM_DALE = Atom.of("hello_from_dale");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * How an Elixir node of the suite is started for this carrier: {@code elixir --sname NAME
     * --cookie COOKIE} in this class's EPMD ({@code --name} for a {@code name} with a host). Other
     * carriers add their {@code --erl} switches.
     */
    protected ElixirNode.Builder elixirNode(String name, Path workingDir) {
        return ElixirNode.builder(name).cookie(cookie).epmdPort(epmdPort()).workingDir(workingDir);
    }

    // "Nodes, Cookies, and Connecting Nodes": iex --sname node1 --cookie mysecretcookie, then node2.

    @Test
    void cookiesWalkThroughWithJavaAsNode1() {
        Node node1 = startJava("node1");
        // iex --sname node2 --cookie mysecretcookie: the same cookie as node1.
        ElixirNode node2 = startElixir("node2");
        LogCapture logs = captureLogs();

        // Node.connect(:node1), as the seed writes it, names no host: Elixir refuses it, whoever node1 is.
        node2.eval("node1 = " + ElixirNode.atom(node1.name()));
        assertEquals(FALSE, node2.eval("Node.connect(:" + alive(node1.name()) + ")"));
        // With the full name it connects.
        assertEquals(TRUE, node2.eval("Node.connect(node1)"), "Node.connect(node1)");

        // Node.list() in either shell shows the other node; Elixir lists the hidden Java node apart.
        assertEquals(ErlList.NIL, node2.eval("Node.list()"), "node2's Node.list() of visible nodes");
        assertEquals(atoms(node1.name()), node2.eval("Node.list(:hidden)"), "node2's Node.list(:hidden)");
        assertEquals(atoms(node1.name()), node2.eval("Node.list(:connected)"), "node2's Node.list(:connected)");
        eventually("node1's Node.list() is [node2]", () -> node1.nodes().equals(List.of(node2.name())));
        assertEquals(Atom.of("pong"), node2.eval(":net_adm.ping(node1)"));
        assertFalse(logs.entries().stream().anyMatch(e -> e.text().contains(cookie)), "a log line holds the cookie");
    }

    @Test
    void cookiesWalkThroughWithElixirAsNode1() throws InterruptedException {
        ElixirNode node1 = startElixir("node1");
        Node node2 = startJava("node2");
        LogCapture logs = captureLogs();

        // Node.connect(:node1) without a host: false, as in Elixir, and jdist says why.
        assertFalse(node2.connect(alive(node1.name())), "connect to a name without a host");
        awaitWarning(logs, alive(node1.name()), "expected alive@host");
        assertTrue(node2.connect(node1.name()), "connect to " + node1.name());

        assertEquals(List.of(node1.name()), node2.nodes(), "node2's Node.list()");
        assertEquals(ErlList.NIL, node1.eval("Node.list()"), "node1's Node.list() of visible nodes");
        // Elixir marks the node up just after it has answered the handshake.
        awaitEval(node1, "Node.list(:hidden)", atoms(node2.name()));
        assertTrue(node2.ping(node1.name()), "net_adm:ping from node2");
        assertEquals(Atom.of("pong"), node1.eval(":net_adm.ping(" + ElixirNode.atom(node2.name()) + ")"));
    }

    /** The cookie seed's premise: only nodes with the same cookie connect; {@code Node.set_cookie} fixes it. */
    @Test
    void aWrongCookieIsRefusedBothWaysUntilNodeSetCookie() throws InterruptedException {
        Node java = startJava("java");
        String wrong = "wrong-cookie-" + suffix();
        ElixirNode elixir = startElixir("elixir", b -> b.cookie(wrong));
        LogCapture logs = captureLogs();
        elixir.eval("java = " + ElixirNode.atom(java.name()));

        assertEquals(FALSE, elixir.eval("Node.connect(java)"), "Node.connect with another cookie");
        awaitWarning(logs, elixir.name(), "cookie digest did not match");
        assertEquals(Atom.of("pang"), elixir.eval(":net_adm.ping(java)"));
        assertFalse(java.connect(elixir.name()), "Java's connect with another cookie");
        assertFalse(java.ping(elixir.name()), "Java's ping with another cookie");
        eventually("Elixir logs that it rejected " + java.name(), () -> elixir.process().stderr().lines()
                .anyMatch(line -> line.contains(java.name()) && line.contains("rejected")));
        assertEquals(ErlList.NIL, elixir.eval("Node.list(:connected)"));

        // Node.set_cookie(node, cookie): the cookie Elixir uses with that one node, both ways.
        assertEquals(TRUE, elixir.eval("Node.set_cookie(java, :\"" + cookie + "\")"));
        assertEquals(TRUE, elixir.eval("Node.connect(java)"), "Node.connect after Node.set_cookie/2");
        assertEquals(TRUE, elixir.eval("Node.disconnect(java)"));
        // Until the Java node has seen the connection close, connect would find it still up.
        eventually("the Java node sees Elixir disconnect", () -> java.nodes().isEmpty());
        assertTrue(java.connect(elixir.name()), "Java's connect after Node.set_cookie/2 on the Elixir side");
        assertEquals(List.of(elixir.name()), java.nodes());
        for (String secret : List.of(cookie, wrong)) {
            assertFalse(logs.entries().stream().anyMatch(e -> e.text().contains(secret)), "a log line holds a cookie");
        }
    }

    /**
     * "If more nodes join the network, they'll hold direct connections to each other": Elixir nodes
     * mesh through {@code global}, which a hidden Java node is no part of. It connects to whom it
     * talks to, and introduces nobody.
     */
    @Test
    void theJavaNodeStaysOutOfTheFullMesh() throws InterruptedException {
        Node java = startJava("java");
        ElixirNode a = startElixir("a");
        ElixirNode b = startElixir("b");
        assertTrue(java.ping(a.name()) && java.ping(b.name()), "Java pings both Elixir nodes");

        // Both know the Java node; that does not make them know each other.
        assertEquals(ErlList.NIL, a.eval("Node.list()"), "a's Node.list() after Java connected to a and b");
        assertEquals(TRUE, a.eval("Node.connect(" + ElixirNode.atom(b.name()) + ")"));
        assertEquals(atoms(b.name()), a.eval("Node.list()"));
        awaitEval(b, "Node.list()", atoms(a.name()));
        assertEquals(atoms(java.name()), a.eval("Node.list(:hidden)"));
        assertEquals(atoms(java.name()), b.eval("Node.list(:hidden)"));
        assertEquals(List.of(a.name(), b.name()), java.nodes().stream().sorted().toList());
    }

    // "Elixir Node Networking Basics": iex --name test1@127.0.0.1 and test2@127.0.0.1; shell 1
    // connects to test2 and spawns a function there.

    @Test
    void networkingBasicsWithJavaAsShell1() throws InterruptedException {
        EmbeddedEpmd.Lease epmd = loopbackEpmd();
        Node shell1 = startJavaWithLongName("test1", epmd);
        ElixirNode test2 = startElixirWithLongName("test2", epmd);
        LogCapture logs = captureLogs();

        // Node.self(), Node.list() -> [], Node.connect(test2) -> true, Node.list() -> [test2].
        assertEquals(List.of(), shell1.nodes(), "shell 1's Node.list() before connecting");
        assertTrue(shell1.connect(test2.name()), "Node.connect from shell 1");
        assertEquals(List.of(test2.name()), shell1.nodes(), "shell 1's Node.list()");
        // In shell 2: Node.list() -> [shell 1], which Elixir lists as hidden.
        awaitEval(test2, "Node.list(:hidden)", atoms(shell1.name()));

        // Node.spawn(test2, fn -> IO.inspect(Node.self()) end): Java has no closures, so it spawns
        // the same code by module, function and arguments. It runs on test2 and prints there
        // test2's name, to the group leader on the Java node, which logs it.
        Pid pid = shell1.spawn(test2.name(), "Elixir.Code", "eval_string", List.of(Binary.of("IO.inspect(Node.self())")));
        assertEquals(Atom.of(test2.name()), pid.node(), "the node of the spawned pid");
        String printed = ((Binary) test2.eval("inspect(Node.self())")).utf8();
        logs.await(e -> e.logger().equals("io.jdist.io") && e.text().contains(pid.toString())
                && e.text().contains(printed), RECEIVE_TIMEOUT, "with " + printed + " printed by " + pid);
    }

    @Test
    void networkingBasicsWithElixirAsShell1() {
        EmbeddedEpmd.Lease epmd = loopbackEpmd();
        Node test2 = startJavaWithLongName("test2", epmd);
        ElixirNode shell1 = startElixirWithLongName("test1", epmd);
        LogCapture logs = captureLogs();
        test2.registerFunction("jdist_demo", "whoami", 1, (self, args) -> {
            self.send((Pid) args.get(0), Tuple.of(Atom.of("running_on"), Atom.of(test2.name())));
            return null;
        });
        test2.registerFunction("jdist_demo", "hello", 0, (self, args) -> {
            self.send("shell", shell1.name(), Tuple.of(Atom.of("hello_from"), Atom.of(test2.name())));
            return null;
        });

        assertEquals(Atom.of(shell1.name()), shell1.eval("Node.self()"));
        assertEquals(ErlList.NIL, shell1.eval("Node.list()"));
        shell1.eval("test2 = " + ElixirNode.atom(test2.name()));
        assertEquals(TRUE, shell1.eval("Node.connect(test2)"), "Node.connect(test2)");
        assertEquals(ErlList.NIL, shell1.eval("Node.list()"), "shell 1's Node.list() of visible nodes");
        assertEquals(atoms(test2.name()), shell1.eval("Node.list(:hidden)"), "shell 1's Node.list(:hidden)");
        eventually("shell 2's Node.list() is [shell 1]", () -> test2.nodes().equals(List.of(shell1.name())));

        // Node.spawn(test2, fn -> IO.inspect(Node.self()) end): a closure cannot run on the JVM. The
        // spawn gives a pid on test2, whose process ends at once, and the Java node says why, once.
        ElixirNode.Evaluation spawned = shell1.evaluate("pid = Node.spawn(test2, fn -> IO.inspect(Node.self()) end)");
        assertEquals(Atom.of(test2.name()), assertInstanceOf(Pid.class, spawned.value()).node());
        assertEquals("", spawned.output(), "what the spawn printed");
        LogCapture.Entry warning = awaitWarning(logs, "cannot run the closure");
        assertTrue(warning.text().contains(spawned.value().toString()) && warning.text().contains("ended with undef"),
                warning.text());
        // Monitored, the process ends as an Erlang process does when its node lacks a closure's
        // code: {:undef, [{fun, [], []}]}, with the very fun Elixir sent.
        assertEquals(TRUE, shell1.eval("f = fn -> IO.inspect(Node.self()) end\n"
                + "{pid, ref} = Node.spawn_monitor(test2, f)\n"
                + "receive do\n"
                + "  {:DOWN, ^ref, :process, ^pid, reason} -> reason == {:undef, [{f, [], []}]} || reason\n"
                + "after\n"
                + "  10_000 -> :no_down\n"
                + "end"), "the :DOWN reason of a closure spawned on the Java node");
        // One line per closure: no stack trace, no other complaint from the processes.
        assertEquals(2, logs.warnings().stream().filter(e -> e.logger().equals("io.jdist.process")
                && e.text().contains("cannot run the closure") && !e.text().contains(" | ")).count(),
                "warnings:\n" + logs.describe());
        assertEquals(2, logs.warnings().stream().filter(e -> e.logger().equals("io.jdist.process")).count(),
                "warnings:\n" + logs.describe());
        assertEquals(Atom.of("pong"), shell1.eval(":net_adm.ping(test2)"), "the Java node after the closures");

        // What does run on a Java node: registered functions, by module, function and arguments...
        Term pid = shell1.eval("Node.spawn(test2, :jdist_demo, :whoami, [self()])");
        assertEquals(Atom.of(test2.name()), assertInstanceOf(Pid.class, pid).node());
        assertEquals(Tuple.of(Atom.of("running_on"), Atom.of(test2.name())),
                shell1.eval("receive do\n  m -> m\nafter\n  10_000 -> :nothing\nend"));
        // ... or as an external fun, which Node.spawn/2 takes too.
        shell1.eval("Process.register(self(), :shell)");
        shell1.eval("Node.spawn(test2, &:jdist_demo.hello/0)");
        assertEquals(Atom.of(test2.name()),
                shell1.eval("receive do\n  {:hello_from, node} -> node\nafter\n  10_000 -> :nothing\nend"));
    }

    // "Remote Message Passing": chip and dale.

    @Test
    void remoteMessagePassingWithJavaAsChip() throws InterruptedException {
        Node chip = startJava("chip");
        ElixirNode dale = startElixir("dale");
        dale.eval("chip = " + ElixirNode.atom(chip.name()));

        // dale: Node.list() -> []; Node.connect(:"chip@macbook") -> true; Node.list() -> [chip].
        assertEquals(ErlList.NIL, dale.eval("Node.list()"));
        assertEquals(TRUE, dale.eval("Node.connect(chip)"), "Node.connect(chip)");
        assertEquals(atoms(chip.name()), dale.eval("Node.list(:hidden)"), "dale's Node.list(:hidden)");
        assertEquals(ErlList.NIL, dale.eval("Node.list()"), "dale's Node.list() of visible nodes");

        // dale: Node.disconnect(:"chip@macbook") -> true; Node.list() -> [].
        assertEquals(TRUE, dale.eval("Node.disconnect(chip)"), "Node.disconnect(chip)");
        assertEquals(ErlList.NIL, dale.eval("Node.list(:connected)"), "dale's Node.list(:connected)");
        eventually("chip forgets dale", () -> chip.nodes().isEmpty());

        // chip: Process.register(self(), :my_iex) -> true.
        Mailbox myIex = chip.createMailbox("my_iex");
        // dale: send {:my_iex, :"chip@macbook"}, :hello_from_dale -> :hello_from_dale; it reconnects.
        assertEquals(HELLO_FROM_DALE, dale.eval("send({:my_iex, chip}, :hello_from_dale)"));
        // chip: flush() -> :hello_from_dale; Node.list() -> [:"dale@macbook"].
        assertEquals(HELLO_FROM_DALE, receive(myIex), "what chip's :my_iex received");
        assertEquals(List.of(dale.name()), chip.nodes(), "chip's Node.list() after dale's send");

        // dale: Process.monitor({:my_iex, :"chip@macbook"}) -> #Reference<...>.
        assertInstanceOf(Ref.class, dale.eval("ref = Process.monitor({:my_iex, chip})"));
        // Beyond the seed: a name nobody registered on chip gives :noproc at once.
        assertEquals(Tuple.of(Tuple.of(Atom.of("nobody"), Atom.of(chip.name())), NOPROC), dale.eval(
                "nobody = Process.monitor({:nobody, chip})\n"
                + "receive do\n  {:DOWN, ^nobody, :process, who, reason} -> {who, reason}\nafter\n  10_000 -> :no_down\nend"));

        // Terminate chip; dale: flush() -> {:DOWN, ref, :process, {:my_iex, :"chip@macbook"}, :noconnection}.
        chip.close();
        String flushed = flushWhenQueued(dale, 1);
        String expected = ((Binary) dale.eval("inspect({:DOWN, ref, :process, {:my_iex, chip}, :noconnection})")).utf8();
        assertEquals(oneLine(expected), oneLine(flushed), "what dale's flush() printed");
        assertEquals(ErlList.NIL, dale.eval("Node.list(:connected)"), "dale's nodes after chip went away");
    }

    @Test
    void remoteMessagePassingWithElixirAsChip() throws InterruptedException {
        ElixirNode chip = startElixir("chip");
        Node dale = startJava("dale");
        Mailbox shell = dale.createMailbox();

        // chip: node() -> :"chip@macbook".
        assertEquals(Atom.of(chip.name()), chip.eval("node()"));
        // dale: Node.list() -> []; Node.connect(:"chip@macbook") -> true; Node.list() -> [chip].
        assertEquals(List.of(), dale.nodes());
        assertTrue(dale.connect(chip.name()), "Node.connect(chip)");
        assertEquals(List.of(chip.name()), dale.nodes(), "dale's Node.list()");

        // dale: Node.disconnect(:"chip@macbook") -> true; Node.list() -> [].
        assertTrue(dale.disconnect(chip.name()), "Node.disconnect(chip)");
        assertEquals(List.of(), dale.nodes(), "dale's Node.list() after disconnect");
        eventually("chip forgets dale", () -> chip.eval("Node.list(:connected)").equals(ErlList.NIL));

        // chip: Process.register(self(), :my_iex) -> true.
        assertEquals(TRUE, chip.eval("Process.register(self(), :my_iex)"));
        // dale: send {:my_iex, :"chip@macbook"}, :hello_from_dale; it reconnects.
        shell.send("my_iex", chip.name(), HELLO_FROM_DALE);
        // chip: flush() -> :hello_from_dale, :ok; Node.list() -> [:"dale@macbook"], hidden.
        assertEquals(":hello_from_dale", flushWhenQueued(chip, 1).strip(), "what chip's flush() printed");
        assertEquals(atoms(dale.name()), chip.eval("Node.list(:hidden)"), "chip's Node.list(:hidden)");
        assertEquals(List.of(chip.name()), dale.nodes(), "dale's Node.list() after its send");

        // dale: Process.monitor({:my_iex, :"chip@macbook"}) -> a reference.
        Ref ref = shell.monitor("my_iex", chip.name());
        // Beyond the seed: a name nobody registered on chip gives :noproc at once.
        Ref nobody = shell.monitor("nobody", chip.name());
        assertEquals(Tuple.of(DOWN, nobody, PROCESS, Tuple.of(Atom.of("nobody"), Atom.of(chip.name())), NOPROC),
                receive(shell));

        // Terminate chip (at once, as a closed terminal would); dale: flush() -> {:DOWN, ref, :process,
        // {:my_iex, :"chip@macbook"}, :noconnection}.
        chip.kill();
        assertEquals(Tuple.of(DOWN, ref, PROCESS, Tuple.of(MY_IEX, Atom.of(chip.name())), NOCONNECTION), receive(shell));
        assertEquals(List.of(), dale.nodes(), "dale's Node.list() after chip went away");
    }

    // Beyond the walk-throughs, what Elixir code does with a Java node in the cluster: :rpc.call and
    // GenServer.call both ways.

    @Test
    void elixirCallsJavaWithRpcAndGenServer() {
        Node java = startJava("java");
        ElixirNode elixir = startElixir("elixir");
        java.registerFunction("calc", "add", 2, (self, args) -> ((Int) args.get(0)).value() + ((Int) args.get(1)).value());
        java.startServer("counter", new GenServer() {
            private long count;

            @Override
            public Object handleCall(Term request, Pid from) {
                return ++count;
            }

            @Override
            public void handleCast(Term request) {
                count += ((Int) ((Tuple) request).get(1)).value();
            }
        });
        elixir.eval("java = " + ElixirNode.atom(java.name()));

        assertEquals(Int.of(3), elixir.eval(":rpc.call(java, :calc, :add, [1, 2])"));
        assertEquals(Int.of(5), elixir.eval(":erpc.call(java, :calc, :add, [2, 3])"));
        assertEquals(Int.of(7), elixir.eval(":rpc.call(java, :erlang, :apply, [&:calc.add/2, [3, 4]])"));
        assertEquals(elixir.eval(":rpc.call(node(), :nomod, :nofun, [1])"), elixir.eval(":rpc.call(java, :nomod, :nofun, [1])"),
                "an unregistered function fails as an undefined one does on an Elixir node");
        assertEquals(TRUE, elixir.eval("f = fn -> 1 end\n"
                + "result = :rpc.call(java, :erlang, :apply, [f, []])\n"
                + "result == {:badrpc, {:EXIT, {:undef, [{f, [], []}]}}} || result"), ":rpc.call of a closure");
        assertEquals(TRUE, elixir.eval("result = :rpc.call(java, :erlang, :apply, [&:calc.add/2, [1]])\n"
                + "match?({:badrpc, {:EXIT, {{:badarity, {_, [1]}}, [{:erlang, :apply, 2, _} | _]}}}, result) || result"),
                ":rpc.call of an external fun with the wrong number of arguments");

        assertEquals(Int.of(1), elixir.eval("GenServer.call({:counter, java}, :next)"));
        assertEquals(Atom.OK, elixir.eval("GenServer.cast({:counter, java}, {:add, 10})"));
        assertEquals(Int.of(12), elixir.eval("GenServer.call({:counter, java}, :next)"));
        Term noproc = elixir.eval("try do\n  GenServer.call({:nobody, java}, :next, 2_000)\n"
                + "catch\n  :exit, reason -> reason\nend");
        assertEquals(Tuple.of(NOPROC, Tuple.of(Atom.of("Elixir.GenServer"), Atom.of("call"),
                ErlList.of(Tuple.of(Atom.of("nobody"), Atom.of(java.name())), Atom.of("next"), Int.of(2000)))), noproc);
    }

    @Test
    void javaCallsElixirWithRpcAndGenServer() throws InterruptedException {
        ElixirNode elixir = startElixir("elixir");
        Node java = startJava("java");
        elixir.eval("defmodule Counter do\n"
                + "  use GenServer\n"
                + "  def init(count), do: {:ok, count}\n"
                + "  def handle_call(:next, _from, count), do: {:reply, count + 1, count + 1}\n"
                + "  def handle_cast({:add, n}, count), do: {:noreply, count + n}\n"
                + "end\n"
                + "{:ok, _} = GenServer.start(Counter, 0, name: :counter)");
        Duration timeout = Duration.ofSeconds(10);

        assertEquals(Binary.of("HELLO"), java.rpc(elixir.name(), "Elixir.String", "upcase", List.of("hello"), timeout));
        CallException raised = assertThrows(CallException.class,
                () -> java.rpc(elixir.name(), "Elixir.String", "to_existing_atom", List.of("no such atom " + suffix()),
                        timeout));
        assertEquals(Atom.ERROR, ((Tuple) raised.reason()).get(0), "an rpc that raises: " + raised.reason());
        assertEquals(Int.of(1), java.call("counter", elixir.name(), Atom.of("next"), timeout));
        java.cast("counter", elixir.name(), Tuple.of(Atom.of("add"), 10));
        assertEquals(Int.of(12), java.call("counter", elixir.name(), Atom.of("next"), timeout));
        assertThrows(NoProcException.class, () -> java.call("nobody", elixir.name(), Atom.of("next"), timeout));
    }

    // Helpers.

    /** Starts an Elixir node named {@code prefix} with a random suffix, stopped after the test. */
    protected ElixirNode startElixir(String prefix) {
        return startElixir(prefix, UnaryOperator.identity());
    }

    protected ElixirNode startElixir(String prefix, UnaryOperator<ElixirNode.Builder> configure) {
        String sname = prefix + "_" + suffix();
        return closeAfterTest(configure.apply(elixirNode(sname, testDir(sname))).start());
    }

    /**
     * An EPMD on 127.0.0.1 for nodes with long names at that address, such as {@code
     * test1@127.0.0.1}: a node looks its peer's EPMD up at the address in the peer's name, which
     * may not be the address this class's EPMD listens on (the one the host name resolves to).
     */
    private EmbeddedEpmd.Lease loopbackEpmd() {
        try {
            return closeAfterTest(EmbeddedEpmd.acquire(LOOPBACK, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a Java node named {@code prefix_suffix@127.0.0.1}, as {@code iex --name}, stopped after the test. */
    private Node startJavaWithLongName(String prefix, EmbeddedEpmd.Lease epmd) {
        NodeConfig.Builder config = NodeConfig.builder().name(prefix + "_" + suffix() + "@" + LOOPBACK.getHostAddress())
                .cookie(cookie).carrier(carrier()).epmdPort(epmd.port()).bindAddress(LOOPBACK);
        carrierSettings().forEach(config::carrierSetting);
        try {
            return closeAfterTest(Node.start(config.build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an Elixir node named {@code prefix_suffix@127.0.0.1} ({@code --name}), stopped after the test. */
    private ElixirNode startElixirWithLongName(String prefix, EmbeddedEpmd.Lease epmd) {
        String alive = prefix + "_" + suffix();
        return closeAfterTest(elixirNode(alive + "@" + LOOPBACK.getHostAddress(), testDir(alive))
                .epmdPort(epmd.port()).start());
    }

    /**
     * Waits until {@code node}'s shell has {@code count} messages, then runs {@code flush()} there:
     * what it printed.
     */
    private static String flushWhenQueued(ElixirNode node, int count) {
        assertEquals(TRUE, node.eval("Enum.any?(1..500, fn _ ->\n"
                + "  {:message_queue_len, n} = Process.info(self(), :message_queue_len)\n"
                + "  n >= " + count + " or (Process.sleep(20) && false)\n"
                + "end)"), node.name() + "'s shell received " + count + " messages within 10 s");
        ElixirNode.Evaluation flushed = node.evaluate("flush()");
        assertEquals(Atom.OK, flushed.value());
        return flushed.output();
    }

    /** Waits until {@code code} evaluates to {@code expected} on {@code node}. */
    private static void awaitEval(ElixirNode node, String code, Term expected) {
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        Term value;
        while (!(value = node.eval(code)).equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, value, code + " on " + node.name() + " within " + RECEIVE_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + code, e);
            }
        }
    }

    private static LogCapture.Entry awaitWarning(LogCapture logs, String... fragments) {
        try {
            return logs.await(e -> e.isWarning() && Arrays.stream(fragments).allMatch(e.text()::contains),
                    RECEIVE_TIMEOUT, "warning containing " + String.join(" and ", fragments));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Elixir's list of these node names. */
    private static ErlList atoms(String... names) {
        return ErlList.of(Arrays.stream(names).map(Atom::of).toArray());
    }

    /** The alive part of a node name, {@code chip} of {@code chip@host}. */
    private static String alive(String name) {
        return name.substring(0, name.indexOf('@'));
    }

    /** Printed terms with their line breaks (which depend on the width) taken out. */
    private static String oneLine(String printed) {
        return printed.strip().replaceAll("\\s+", " ");
    }
}
