package io.jdist.transport.unix;

import io.jdist.testing.ErlangRuntime;
import io.jdist.testing.node.RawConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a test class needs to run {@code erl} over Unix sockets: a socket directory of its own and
 * the distribution module {@code jdist_uds_dist} (source in {@code src/main/erlang}, carried by
 * the jar), compiled with {@code erlc} on first use, so that tests between Java nodes need no
 * Erlang. Socket paths must fit in 107
 * bytes, so the directory is a short one directly under the temp directory.
 */
final class ErlangUds implements AutoCloseable {

    static final String MODULE = "jdist_uds_dist";
    /** Where the jar carries the module's source. */
    static final String SOURCE = "/META-INF/jdist/erlang/" + MODULE + ".erl";

    private final Path root;
    private final Path sockets;
    private Path ebin;

    private ErlangUds(Path root) {
        this.root = root;
        this.sockets = root.resolve("s");
    }

    /** A fresh socket directory (created by the first node that listens) and a place for the module. */
    static ErlangUds create() {
        try {
            return new ErlangUds(Files.createTempDirectory(Path.of("/tmp"), "ju"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The socket directory, shared by the class's Java and Erlang nodes. */
    Path socketDirectory() {
        return sockets;
    }

    /** A scratch directory for the class, outside the socket directory. */
    Path scratch() {
        return root;
    }

    /** The {@code erl} arguments that make a node distribute over this class's socket directory. */
    List<String> erlArguments() {
        return List.of("-proto_dist", "jdist_uds", "-no_epmd", "-jdist_uds_dir", sockets.toString(),
                "-pa", ebin().toString());
    }

    /** Where the compiled module is; compiles, on first call, the copy of the source the jar carries. */
    synchronized Path ebin() {
        if (ebin == null) {
            Path dir = root.resolve("ebin");
            Path source = dir.resolve(MODULE + ".erl");
            try (InputStream in = ErlangUds.class.getResourceAsStream(SOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("no " + SOURCE + " on the class path");
                }
                Files.createDirectories(dir);
                Files.copy(in, source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ErlangRuntime.require().compile(source, dir);
            ebin = dir;
        }
        return ebin;
    }

    /** A connection that carries raw bytes to the socket of {@code node}. */
    RawConnection openRaw(String node) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(sockets.resolve(node)));
            return new RawConnection(in(channel), out(channel), channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    // Streams that call the channel directly: those of java.nio.channels.Channels take one lock for
    // reads and writes, so a read blocked in the reader thread would hold up every write.

    private static InputStream in(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    /** Removes the directories. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary file is not worth failing a test for.
        }
    }
}
