package io.jdist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.transport.tls.NodeCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two {@code jdist node} shells in two JVMs, driven through stdin as a script would, over TCP and
 * over mutual TLS: the seed documents' walk-through (connect, list, register, send, monitor), with
 * the exact result lines.
 */
class NodeShellJavaTest extends ShellTestBase {

    @Test
    void twoShellsConnectExchangeMessagesAndSeeTheirPeerGoOverTcp() {
        walkThrough();
    }

    @Test
    void twoShellsDoTheSameOverMutualTls() throws IOException {
        Path dir = testDir();
        NodeCertificate ca = NodeCertificate.builder().commonName("jdist shell test CA").authority().build();
        NodeCertificate node = NodeCertificate.builder().commonName("jdist shell test node").signedBy(ca)
                .dnsName(shortHostName()).dnsName("localhost").ipAddress(hostAddress().getHostAddress()).build();
        ca.writeCertificateTo(dir.resolve("ca.pem"));
        node.writeTo(dir.resolve("node.pem"), dir.resolve("node.key"));

        walkThrough("--carrier", "tls", "-Ddist.tls.certFile=node.pem", "-Ddist.tls.keyFile=node.key",
                "-Ddist.tls.caFile=ca.pem", "-Ddist.tls.identityCheck=true");
    }

    /** The walk-through between shells a and b started with {@code options}. */
    private void walkThrough(String... options) {
        String a = uniqueName("a");
        String b = uniqueName("b");
        JdistProcess shellA = startShell(a, options);
        JdistProcess shellB = startShell(b, options);
        String nodeA = atom(fullName(a));
        String nodeB = atom(fullName(b));
        String pidA = shellA.run("self");
        assertTrue(pidA.startsWith("#Pid<" + nodeA + "."), pidA);

        assertEquals("true", shellB.run("register inbox"));
        assertEquals("true", shellA.run("connect " + nodeB));
        assertEquals("[" + nodeB + "]", shellA.run("nodes"));
        assertEquals("[" + nodeA + "]", shellB.run("nodes"));

        assertEquals("{hello," + pidA + "}", shellA.run("send {inbox, " + nodeB + "} {hello, self()}"));
        assertEquals("{hello," + pidA + "}", shellB.run("receive 10000"));
        assertEquals("<<\"world\">>", shellB.run("send " + pidA + " <<\"world\">>"));
        assertEquals("<<\"world\">>", shellA.run("receive 10000"));
        assertEquals("timeout", shellA.run("receive 0"));
        assertEquals("pong", shellA.run("ping " + nodeB));

        String ref = shellA.run("monitor {inbox, " + nodeB + "}");
        assertTrue(ref.startsWith("#Ref<" + nodeA + "."), ref);
        // The answer comes after b has taken the monitor request, which was sent first.
        assertEquals("pong", shellA.run("ping " + nodeB));
        assertEquals(0, shellB.finish(), shellB.describe());
        assertEquals("{'DOWN'," + ref + ",process,{inbox," + nodeB + "},noconnection}", shellA.run("receive 10000"));
        assertEquals("[]", shellA.run("nodes"));
        assertEquals(0, shellA.finish(), shellA.describe());
        assertEquals(List.of(), shellA.remainingStdout(), "nothing but one line per command on stdout");
        assertFalse(shellA.stderr().contains("\tat "), shellA.stderr());
    }
}
