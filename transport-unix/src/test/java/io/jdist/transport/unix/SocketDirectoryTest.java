package io.jdist.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void theDirectoryIsCreatedForItsOwnerOnly() throws IOException {
        Path dir = tmp.resolve("sockets");
        SocketDirectory sockets = new SocketDirectory(dir);

        UnixDomainSocketAddress address = (UnixDomainSocketAddress) sockets.listenAddress("a@host", null);

        assertEquals(dir.resolve("a@host"), address.getPath());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aDirectoryOthersMayWriteIsRefusedSayingSo() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        IOException e = assertThrows(IOException.class, () -> new SocketDirectory(dir).listenAddress("a@host", null));

        assertEquals("socket directory " + dir + " may be written by group or others (rwxrwxrwx); run chmod 700 "
                + dir, e.getMessage());
    }

    @Test
    void aPublishedSocketIsForItsOwnerOnlyListedFoundAndRemovedOnClose() throws IOException {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("s"));
        UnixDomainSocketAddress address = (UnixDomainSocketAddress) sockets.listenAddress("a@host", null);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            Discovery.Publication publication = sockets.publish("a@host", address);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(address.getPath())));
            assertEquals(List.of("a@host"), sockets.nodes());
            assertEquals(address, sockets.lookup("a@host"));
            assertTrue(publication.creation() != 0);

            publication.close();
            publication.close();
            assertFalse(Files.exists(address.getPath()));
            assertEquals(List.of(), sockets.nodes());
        }
    }

    @Test
    void aLiveNodesSocketIsANameInUse() throws IOException {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("s"));
        UnixDomainSocketAddress address = (UnixDomainSocketAddress) sockets.listenAddress("a@host", null);
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(address);

            IOException e = assertThrows(IOException.class, () -> sockets.listenAddress("a@host", null));

            assertEquals("the name a@host is in use: a live node listens at " + address.getPath(), e.getMessage());
        }
    }

    @Test
    void aSocketLeftByADeadNodeIsReplaced() throws IOException {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("s"));
        UnixDomainSocketAddress address = (UnixDomainSocketAddress) sockets.listenAddress("a@host", null);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(address);
        }
        assertTrue(Files.exists(address.getPath()), "closing a server leaves its socket file");

        assertEquals(address, sockets.listenAddress("a@host", null));
        assertFalse(Files.exists(address.getPath()), "the stale socket was removed");
        try (ServerSocketChannel again = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            again.bind(address);
        }
    }

    @Test
    void lookingUpANodeWithoutASocketSaysWhereItLooked() throws IOException {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("s"));
        sockets.listenAddress("a@host", null);

        IOException e = assertThrows(IOException.class, () -> sockets.lookup("nobody@host"));

        assertEquals("no node named nobody@host has a socket in " + tmp.resolve("s"), e.getMessage());
    }

    @Test
    void aSocketPathTooLongForTheKernelIsRefusedSayingSo() {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("d".repeat(100)));

        IOException e = assertThrows(IOException.class, () -> sockets.listenAddress("a@host", null));

        assertTrue(e.getMessage().endsWith("longer than the 107 a Unix socket address holds; choose a shorter"
                + " socket directory"), e.getMessage());
    }

    @Test
    void publishingAnAddressElsewhereIsRefused() throws IOException {
        SocketDirectory sockets = new SocketDirectory(tmp.resolve("s"));
        sockets.listenAddress("a@host", null);

        IOException e = assertThrows(IOException.class,
                () -> sockets.publish("a@host", new InetSocketAddress(4369)));

        assertTrue(e.getMessage().startsWith("node a@host must listen at "), e.getMessage());
    }
}
