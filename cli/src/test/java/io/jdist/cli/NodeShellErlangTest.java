package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.testing.ErlangNode;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code jdist node} driven through stdin against a real {@code erl -sname}: messages to an echo
 * process, rpc, spawn, a call to a {@code gen_server}, and a monitor that fires {@code
 * noconnection} when {@code erl} is killed. Without Erlang these tests are skipped, except on CI.
 */
class NodeShellErlangTest extends ShellTestBase {

    private static final Pattern PID = Pattern.compile("#Pid<[^>]+>");

    @Test
    void theShellTalksToAnErlangNode() {
        ErlangNode erl = startErlang();
        erl.eval("register(echo, spawn(fun Loop() -> receive {From, Msg} -> From ! {echo, Msg}, Loop() end end))");
        erl.eval("jdist_proc_peer:start_server(counter)");
        String node = atom(erl.name());
        JdistProcess shell = startShell(uniqueName("java"));
        String self = shell.run("self");

        assertEquals("true", shell.run("connect " + node));
        assertEquals("[" + node + "]", shell.run("nodes"));
        assertEquals("pong", shell.run("ping " + node));

        assertEquals("{" + self + ",[1,<<\"x\">>]}", shell.run("send {echo, " + node + "} {self(), [1, <<\"x\">>]}"));
        assertEquals("{echo,[1,<<\"x\">>]}", shell.run("receive 10000"));

        assertEquals("[3,2,1]", shell.run("rpc " + node + " lists reverse [[1, 2, 3]]"));
        assertEquals(node, shell.run("rpc " + node + " erlang node []"));

        String spawned = shell.run("spawn " + node + " jdist_proc_peer send_back [self(), 42]");
        assertTrue(PID.matcher(spawned).matches() && spawned.startsWith("#Pid<" + node + "."), spawned);
        assertEquals("{" + spawned + "," + node + ",42}", shell.run("receive 10000"));

        assertEquals("{echoed,hi}", shell.run("call {counter, " + node + "} {echo, hi}"));

        String ref = shell.run("monitor {echo, " + node + "}");
        assertTrue(ref.startsWith("#Ref<"), ref);
        // erl answers the ping after it has taken the monitor request, which went first.
        assertEquals("pong", shell.run("ping " + node));
        erl.kill();
        assertEquals("{'DOWN'," + ref + ",process,{echo," + node + "},noconnection}", shell.run("receive 20000"));
        assertEquals("[]", shell.run("nodes"));
        assertEquals(0, shell.finish(), shell.describe());
        assertFalse(shell.stderr().contains("\tat "), shell.stderr());
    }

    @Test
    void erlangSendsToTheShellsRegisteredNameAndFlushTakesEverything() {
        ErlangNode erl = startErlang();
        String java = uniqueName("java");
        JdistProcess shell = startShell(java);
        assertEquals("true", shell.run("register shell"));

        erl.eval("{shell, " + ErlangNode.atom(fullName(java)) + "} ! one, {shell, "
                + ErlangNode.atom(fullName(java)) + "} ! {two, <<\"é\"/utf8>>}");

        assertEquals("one", shell.run("receive 10000"));
        assertEquals("{two,<<\"é\"/utf8>>}", shell.run("receive 10000"));
        erl.eval("[{shell, " + ErlangNode.atom(fullName(java)) + "} ! N || N <- [3, 4, 5]]");
        // The rpc's answer comes on the same connection after the three messages, so they are queued.
        assertEquals("5", shell.run("rpc " + atom(erl.name()) + " erlang length [[a, b, c, d, e]]"));
        assertEquals("[3,4,5]", shell.run("flush"));
        assertEquals("[]", shell.run("flush"));
        assertEquals(0, shell.finish(), shell.describe());
    }

    private ErlangNode startErlang() {
        String sname = uniqueName("erl");
        return closeAfterTest(ErlangNode.builder(sname).cookie(cookie).epmdPort(epmdPort()).workingDir(testDir(sname))
                .codePath(erlangCode()).start());
    }
}
