package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * New certificate, key and CA files are used for new connections without a restart, and the
 * connections made before stay up.
 */
class TlsRotationTest extends TlsNodeTestBase {

    @Test
    void newFilesServeNewConnectionsAndOldConnectionsStayUp() throws Exception {
        TlsTestFiles first = TlsTestFiles.create(dir.resolve("first"));
        Path live = dir.resolve("live");
        TlsTestFiles node = first.with(live, TlsTestFiles.nodeCertificate(first.ca).build());
        Node rotating = start("rotating", "tls", node.settings(), UnaryOperator.identity());
        Node oldPeer = startTls("old_peer", first.with(dir.resolve("old-peer"),
                TlsTestFiles.nodeCertificate(first.ca).build()));
        Mailbox oldInbox = oldPeer.createMailbox("inbox");
        assertTrue(oldPeer.connect(rotating.name()), "a peer of the first CA connects before the rotation");

        // The cluster moves to a new CA: the node's files are replaced in place, as an operator would.
        TlsTestFiles second = TlsTestFiles.create(dir.resolve("second"));
        replace(second.caFile, node.caFile);
        replace(second.certFile, node.certFile);
        replace(second.keyFile, node.keyFile);

        Node newPeer = startTls("new_peer", second.with(dir.resolve("new-peer"),
                TlsTestFiles.nodeCertificate(second.ca).build()));
        assertTrue(newPeer.connect(rotating.name()), "a peer of the new CA connects after the rotation");
        logs.await(e -> e.text().startsWith("tls server files changed; new connections present"), WAIT,
                "saying the server uses the new files");
        assertTrue(rotating.ping(newPeer.name()), "the node dials with its new certificate too");

        Node latePeer = startTls("late_peer", first.with(dir.resolve("late-peer"),
                TlsTestFiles.nodeCertificate(first.ca).build()));
        assertFalse(latePeer.connect(rotating.name()), "a peer of the old CA connects after the rotation");

        assertTrue(rotating.nodes().contains(oldPeer.name()), "the connection made before the rotation is up");
        try (Mailbox m = rotating.createMailbox()) {
            m.send("inbox", oldPeer.name(), Atom.of("after_rotation"));
        }
        assertEquals(Atom.of("after_rotation"), oldInbox.receive(WAIT).orElseThrow());
    }

    @Test
    void halfWrittenFilesKeepThePreviousOnesInUse() throws Exception {
        TlsTestFiles files = TlsTestFiles.create(dir.resolve("files"));
        Node node = startTls("node", files);
        Files.writeString(files.keyFile, "-----BEGIN PRIVATE KEY-----\nMIIB\n");
        Files.setLastModifiedTime(files.keyFile, FileTime.from(Instant.now().plusSeconds(5)));

        Node peer = startTls("peer", files.with(dir.resolve("peer"), TlsTestFiles.nodeCertificate(files.ca).build()));
        assertTrue(peer.connect(node.name()), "a peer connects while the key file is broken");
        awaitWarning("tls server files changed but cannot be loaded; new connections keep using the previous ones",
                files.keyFile.toString());
    }

    /** Replaces {@code target} atomically, and moves its modification time on so no clock granularity hides it. */
    private static void replace(Path source, Path target) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().plusSeconds(5)));
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
