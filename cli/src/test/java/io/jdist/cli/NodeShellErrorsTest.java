package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.transport.tls.NodeCertificate;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The failures a person meets with {@code jdist node}, each one clear line and no stack trace
 * unless {@code --verbose}: a wrong cookie, an unknown node, a name in use, a missing certificate.
 */
class NodeShellErrorsTest extends ShellTestBase {

    @Test
    void aWrongCookieGivesFalseThenOneErrorLineSayingSo() {
        String b = uniqueName("b");
        JdistProcess shellB = startShell(b);
        shellB.run("self"); // b is up and registered
        JdistProcess shellA = startShell(uniqueName("a"), "--cookie", "another-cookie");
        String nodeB = atom(fullName(b));
        String refused = "cannot connect to " + fullName(b) + ": " + fullName(b) + " closed the connection after this"
                + " node's challenge reply: it refused this node's cookie (the two nodes' cookies differ)";

        assertEquals("false", shellA.run("connect " + nodeB));
        assertEquals("error: " + refused, shellA.run("rpc " + nodeB + " erlang node []"));
        assertEquals("pang", shellA.run("ping " + nodeB));
        assertEquals("[]", shellA.run("nodes"));

        assertEquals(0, shellA.finish(), shellA.describe());
        assertTrue(shellA.stderr().contains("WARNING io.jdist.cli.shell: " + refused + "\n"), shellA.describe());
        assertNoStackTrace(shellA);
        assertFalse(shellA.stderr().contains(cookie) || shellA.stderr().contains("another-cookie"), shellA.stderr());
    }

    @Test
    void anUnknownNodeGivesFalseOrOneErrorLineNamingIt() {
        JdistProcess shell = startShell(uniqueName("a"));
        String nobody = uniqueName("nobody");
        String node = atom(fullName(nobody));
        String unknown = "cannot connect to " + fullName(nobody) + ": no node named " + nobody
                + " is registered with EPMD at " + hostAddress().getHostAddress() + ":" + epmdPort();

        assertEquals("false", shell.run("connect " + node));
        assertEquals("error: " + unknown, shell.run("send {inbox, " + node + "} hello"));
        assertEquals("error: " + unknown, shell.run("call {server, " + node + "} hello"));
        assertEquals("pang", shell.run("ping " + node));
        assertEquals("error: expected a node name alive@host, such as " + atom(fullName(nobody)) + ", but was "
                + nobody, shell.run("connect " + nobody));

        assertEquals(0, shell.finish(), shell.describe());
        assertNoStackTrace(shell);
    }

    @Test
    void aNameInUseStopsTheSecondNodeWithOneLine() {
        String a = uniqueName("a");
        JdistProcess first = startShell(a);
        first.run("self");

        JdistProcess second = startShell(a);
        assertEquals(1, second.finish(), second.describe());
        assertEquals("error: epmd at 127.0.0.1:" + epmdPort() + " refused to register '" + a
                + "': the name is in use (result 1)\n", second.stderr());
        assertEquals(List.of(), second.remainingStdout());
        assertEquals("[]", first.run("nodes"), "the first node is unharmed");
    }

    @Test
    void aMissingCertificateFileStopsATlsNodeWithOneLineAndVerboseShowsTheTrace() throws IOException {
        NodeCertificate ca = NodeCertificate.builder().commonName("jdist shell test CA").authority().build();
        ca.writeCertificateTo(testDir().resolve("ca.pem"));
        String[] tls = {"--carrier", "tls", "-Ddist.tls.certFile=node.pem", "-Ddist.tls.caFile=ca.pem"};

        JdistProcess shell = startShell(uniqueName("a"), tls);
        assertEquals(1, shell.finish(), shell.describe());
        assertEquals("error: tls server: cannot read the certificates in node.pem: no such file\n", shell.stderr());

        JdistProcess verbose = startShell(uniqueName("a"), concat(tls, "--verbose"));
        assertEquals(1, verbose.finish(), verbose.describe());
        assertTrue(verbose.stderr().contains("error: tls server: cannot read the certificates in node.pem: no such"
                + " file\n"), verbose.stderr());
        assertTrue(verbose.stderr().contains("\tat io.jdist."), "--verbose shows the stack trace: " + verbose.stderr());
    }

    @Test
    void aCommandLineThatDoesNotParseGivesTheUsageAndStatusTwo() {
        JdistProcess notDist = closeAfterTest(JdistProcess.start("node", "--sname", uniqueName("a"), "-Dfoo=bar"));
        assertEquals(2, notDist.finish(), notDist.describe());
        assertTrue(notDist.stderr().startsWith("-Dfoo: the node reads dist.* settings only, such as"
                + " -Ddist.epmdPort=4370 (JVM options go in JDIST_JAVA_OPTS)\nUsage: jdist node"), notDist.stderr());

        JdistProcess noName = closeAfterTest(JdistProcess.start(Map.of(), testDir(), List.of("node")));
        assertEquals(2, noName.finish(), noName.describe());
        assertTrue(noName.stderr().startsWith("a node needs a name: --sname NAME or --name NAME@HOST\n"),
                noName.stderr());
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static void assertNoStackTrace(JdistProcess shell) {
        assertFalse(shell.stderr().contains("\tat "), "a stack trace without --verbose:\n" + shell.stderr());
    }
}
