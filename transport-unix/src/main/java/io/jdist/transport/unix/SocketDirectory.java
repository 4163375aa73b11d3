package io.jdist.transport.unix;

import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A directory of Unix-domain sockets, one per node, named after the node: the discovery of the
 * {@code unix} carrier. The directory is the registry, so no EPMD is needed, and {@link #nodes()}
 * lists the nodes on disk. A socket file left by a dead node is detected and replaced; one a live
 * node answers on is a name in use.
 *
 * <p>The directory is created with mode 0700 and each socket set to 0600, so only the owner can
 * connect; an existing directory that group or others may write to is refused.
 */
public final class SocketDirectory implements Discovery {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.unix");

    /** The longest socket path Linux takes ({@code sun_path} holds 108 bytes with the final NUL). */
    static final int MAX_PATH_BYTES = 107;

    private final Path dir;

    /** A discovery in {@code dir}, which is created (0700) when missing. */
    public SocketDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The default directory: {@code jdist-USER} under the system temp directory. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jdist-" + System.getProperty("user.name"));
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** The socket file of {@code node}. */
    public Path socketOf(String node) {
        return dir.resolve(node);
    }

    /** The names of the nodes with a socket in the directory, live or stale, sorted. */
    public List<String> nodes() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                    .map(f -> f.getFileName().toString()).filter(n -> n.indexOf('@') > 0).sorted().toList();
        }
    }

    @Override
    public SocketAddress listenAddress(String node, SocketAddress requested) throws IOException {
        prepareDirectory();
        Path socket = checkedSocketOf(node);
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (answers(socket)) {
                throw new IOException("the name " + node + " is in use: a live node listens at " + socket);
            }
            LOG.log(System.Logger.Level.INFO, "replacing the stale socket {0} left by a node that is gone", socket);
            Files.deleteIfExists(socket);
        }
        return UnixDomainSocketAddress.of(socket);
    }

    @Override
    public Publication publish(String node, SocketAddress listenAddress) throws IOException {
        Path socket = checkedSocketOf(node);
        if (!(listenAddress instanceof UnixDomainSocketAddress unix) || !unix.getPath().equals(socket)) {
            throw new IOException("node " + node + " must listen at " + socket + " but listens at " + listenAddress);
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return Publication.withRandomCreation(() -> {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove the socket {0}: {1}", socket, e.getMessage());
            }
        });
    }

    @Override
    public SocketAddress lookup(String node) throws IOException {
        Path socket = checkedSocketOf(node);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("no node named " + node + " has a socket in " + dir);
        }
        return UnixDomainSocketAddress.of(socket);
    }

    @Override
    public void close() {
        // Publications remove their sockets; the directory stays for the other nodes.
    }

    @Override
    public String toString() {
        return "socket directory " + dir;
    }

    private Path checkedSocketOf(String node) throws IOException {
        if (node.indexOf('/') >= 0 || node.equals(".") || node.equals("..") || node.indexOf('\0') >= 0) {
            throw new IOException("node name " + node + " cannot name a socket file");
        }
        Path socket = socketOf(node);
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + socket + " is " + length + " bytes, longer than the "
                    + MAX_PATH_BYTES + " a Unix socket address holds; choose a shorter socket directory");
        }
        return socket;
    }

    private void prepareDirectory() throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE)));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("socket directory " + dir + " exists but is not a directory");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("socket directory " + dir + " may be written by group or others ("
                        + PosixFilePermissions.toString(permissions) + "); run chmod 700 " + dir);
            }
        }
    }

    /** Whether a live node accepts connections on {@code socket}. */
    private static boolean answers(Path socket) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException | NoSuchFileException e) {
            return false;
        }
    }
}
