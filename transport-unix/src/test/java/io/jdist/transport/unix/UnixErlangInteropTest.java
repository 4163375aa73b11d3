package io.jdist.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Tuple;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.ErlangProcess;
import io.jdist.testing.ErlangRuntime;
import io.jdist.testing.node.AbstractInteropSuite;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code jdist_uds_dist} does beyond the node interop suite ({@link UnixNodeInteropTest}):
 * Erlang's side of a node going down, two {@code erl} nodes on the module alone, and the socket
 * directory as both sides keep it (file names, modes, stale sockets, names in use).
 */
class UnixErlangInteropTest extends AbstractInteropSuite {

    private static final Duration A_FEW_SECONDS = Duration.ofSeconds(5);
    private static final Atom PONG = Atom.of("pong");

    private ErlangUds uds;

    @BeforeAll
    void makeSocketDirectory() {
        uds = ErlangUds.create();
    }

    @AfterAll
    void removeSocketDirectory() {
        uds.close();
    }

    @Override
    protected String carrier() {
        return "unix";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return Map.of("dir", uds.socketDirectory().toString());
    }

    @Override
    protected ErlangNode.Builder erlangNode(String sname, Path workingDir) {
        return super.erlangNode(sname, workingDir).arguments(uds.erlArguments());
    }

    // Node down, seen by Erlang.

    @Test
    void erlangGetsNodedownWhenTheJavaNodeCloses() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        watchNodes(erl);
        assertTrue(java.connect(erl.name()), "connect to " + erl.name());

        java.close();

        eventually(erl.name() + " gets nodedown for " + java.name(), () -> sawNodedown(erl, java.name()));
    }

    @Test
    void erlangGetsNodedownWhenTheJavaNodeItConnectedToCloses() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        watchNodes(erl);
        assertEquals(PONG, erl.eval("net_adm:ping(" + ErlangNode.atom(java.name()) + ")"));

        java.close();

        eventually(erl.name() + " gets nodedown for " + java.name(), () -> sawNodedown(erl, java.name()));
    }

    // The module between Erlang nodes.

    @Test
    void twoErlangNodesConnectMessageAndSeeEachOtherGo() {
        ErlangNode a = startErlang("erl_a");
        ErlangNode b = startErlang("erl_b");
        String atomA = ErlangNode.atom(a.name());
        String atomB = ErlangNode.atom(b.name());
        watchNodes(b);

        assertEquals(PONG, b.eval("net_adm:ping(" + atomA + ")"));
        assertEquals(Atom.TRUE, a.eval("lists:member(" + atomB + ", nodes())"), "erl nodes see each other as visible");
        assertEquals(Atom.of(a.name()), b.eval("rpc:call(" + atomA + ", erlang, node, [])"));
        a.eval("jdist_node_peer:forwarder(echo, {sink, " + atomB + "})");
        assertEquals(Tuple.of(Atom.of("forwarded"), Atom.of("hello")),
                b.eval("register(sink, self()), {echo, " + atomA + "} ! hello, "
                        + "receive M -> M after 5000 -> nothing end"));

        a.kill();

        eventually(b.name() + " gets nodedown for " + a.name(), () -> sawNodedown(b, a.name()));
    }

    // The socket directory.

    @Test
    void erlangListensOnASocketNamedAfterItsNodeAndRemovesItWhenItStops() throws IOException {
        ErlangNode erl = startErlang("erl");
        Path socket = uds.socketDirectory().resolve(erl.name());

        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "no socket at " + socket);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(uds.socketDirectory())));
        assertTrue(new SocketDirectory(uds.socketDirectory()).nodes().contains(erl.name()),
                "the socket directory lists " + erl.name());

        erl.eval("init:stop()");

        eventually("erl removes " + socket + " when it stops", () -> !Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void erlangFindsTheSocketDirectoryWhereJavaDoes() {
        ErlangNode erl = startErlang("erl");

        assertEquals(Binary.of(uds.socketDirectory().toString()),
                erl.eval("unicode:characters_to_binary(jdist_uds_dist:socket_directory())"), "with -jdist_uds_dir");
        assertEquals(Binary.of(SocketDirectory.defaultDirectory().toString()),
                erl.eval("unicode:characters_to_binary(jdist_uds_dist:default_directory())"),
                "by default: the directory of a JVM with the default java.io.tmpdir");
    }

    @Test
    void eachSideReplacesAStaleSocketTheOtherLeft() throws IOException, InterruptedException {
        Node java = startJava("java");
        String alive = "twin_" + suffix();
        String name = alive + "@" + host(java.name());
        Path socket = uds.socketDirectory().resolve(name);
        leaveStaleSocket(socket);

        try (ErlangNode erl = erlangNode(alive, uds.scratch().resolve(alive)).start()) {
            assertEquals(name, erl.name());
            assertTrue(java.ping(name), "ping the erl that replaced a stale socket");
            erl.kill();
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "a killed erl leaves its socket behind");

        try (Node twin = Node.start(javaNode(alive).build())) {
            assertEquals(name, twin.name());
            assertTrue(java.ping(name), "ping the Java node that replaced the socket erl left");
        }
    }

    @Test
    void aNameInUseIsRefusedOnBothSides() throws IOException, InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        String javaAlive = java.name().substring(0, java.name().indexOf('@'));
        String erlAlive = erl.name().substring(0, erl.name().indexOf('@'));

        IOException refused = assertThrows(IOException.class, () -> Node.start(javaNode(erlAlive).build()).close());
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());

        List<String> arguments = new ArrayList<>(List.of("-sname", javaAlive, "-setcookie", cookie, "-noshell",
                "-noinput", "-start_epmd", "false"));
        arguments.addAll(uds.erlArguments());
        arguments.addAll(List.of("-eval", "halt(0)"));
        Path workingDir = Files.createDirectories(uds.scratch().resolve(javaAlive));
        try (ErlangProcess clash = ErlangRuntime.require().start(workingDir, arguments)) {
            if (!clash.process().waitFor(30, TimeUnit.SECONDS)) {
                fail("erl with a name in use still runs after 30 s\n" + clash.describe());
            }
            assertEquals(1, clash.process().exitValue(), clash.describe());
            String stdout = new String(clash.stdout().readAllBytes(), StandardCharsets.UTF_8);
            eventually("erl says the name is in use",
                    () -> (stdout + clash.stderr()).contains("the name " + java.name() + " seems to be in use"));
        }

        assertTrue(java.ping(erl.name()), "both nodes still listen");
        assertEquals(PONG, erl.eval("net_adm:ping(" + ErlangNode.atom(java.name()) + ")"));
    }

    @Test
    void erlangRefusesAPeerRunningAsAnotherUser() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
                "switching to another user for the peer needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs setpriv and python3");
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Path socket = uds.socketDirectory().resolve(erl.name());
        // Open the way for user nobody, so that only the credential check stands in it.
        List<Path> opened = List.of(uds.scratch(), uds.socketDirectory());
        for (Path dir : opened) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Process nobody = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", "/usr/bin/python3", "-c",
                    "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]);"
                            + " print('connected', flush=True); s.sendall(b'\\x00\\x01N'); s.recv(1)",
                    socket.toString()).redirectErrorStream(true).start();
            try {
                assertTrue(nobody.waitFor(10, TimeUnit.SECONDS), "erl did not close the connection of user nobody");
                String output = new String(nobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(output.startsWith("connected"), "user nobody could not connect: " + output);
            } finally {
                nobody.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            for (Path dir : opened) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        String warning = "refusing a connection on " + socket + ": the peer runs as uid 65534";
        eventually("erl warns: " + warning, () -> erl.process().stderr().contains(warning), erl.process()::describe);

        assertTrue(java.ping(erl.name()), "erl still takes connections of its own user");
    }

    // Helpers.

    /** Registers {@code watcher} on {@code erl}: it records the nodedown of every node, hidden ones too. */
    private static void watchNodes(ErlangNode erl) {
        erl.eval("Parent = self(), "
                + "Pid = spawn(fun() -> ok = net_kernel:monitor_nodes(true, [{node_type, all}]), Parent ! ready, "
                + "  (fun Loop(Down) -> receive "
                + "      {nodedown, N, _} -> Loop([N | Down]); "
                + "      {down, N, From} -> From ! {down, lists:member(N, Down)}, Loop(Down); "
                + "      _ -> Loop(Down) end end)([]) end), "
                + "register(watcher, Pid), receive ready -> ok end");
    }

    private static boolean sawNodedown(ErlangNode erl, String node) {
        return erl.eval("watcher ! {down, " + ErlangNode.atom(node) + ", self()}, "
                + "receive {down, Seen} -> Seen after 5000 -> no_answer end").equals(Atom.TRUE);
    }

    /** Leaves a socket file at {@code path} that nothing listens on, as a killed node does. */
    private static void leaveStaleSocket(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "a closed server leaves its socket file");
    }

    private static void eventually(String what, BooleanSupplier condition) {
        eventually(what, condition, () -> "");
    }

    private static void eventually(String what, BooleanSupplier condition, Supplier<String> details) {
        long deadline = System.nanoTime() + A_FEW_SECONDS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("expected within " + A_FEW_SECONDS.toSeconds() + " s: " + what + "\n" + details.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    private static String host(String node) {
        return node.substring(node.indexOf('@') + 1);
    }
}
