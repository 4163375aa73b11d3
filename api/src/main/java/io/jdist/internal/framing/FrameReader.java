package io.jdist.internal.framing;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into frames with a big-endian length prefix of 2 bytes (the handshake over
 * TCP) or 4 bytes (the handshake over TLS, and every connection after the handshake).
 *
 * <p>Bytes arrive in chunks of any size: a chunk may hold part of a frame or several frames, and the
 * first frame after the handshake may share a chunk with its last message, so the prefix width can
 * be changed between frames ({@link #prefixBytes(int)}) and the rest of the chunk is read with the
 * new width. A frame's length is checked against the limit before any memory is allocated for it.
 * A frame of length zero (a tick, after the handshake) is delivered as an empty buffer.
 *
 * <p>Not thread-safe: one reader per connection, fed by the carrier's single reading thread.
 */
public final class FrameReader {

    private int maxFrameBytes;
    private int prefixBytes;
    private final ByteBuffer prefix = ByteBuffer.allocate(4);
    /** The frame being filled, or {@code null} while reading a prefix. */
    private ByteBuffer frame;

    /**
     * @param prefixBytes 2 or 4
     * @param maxFrameBytes the longest frame accepted
     */
    public FrameReader(int prefixBytes, int maxFrameBytes) {
        prefixBytes(prefixBytes);
        maxFrameBytes(maxFrameBytes);
    }

    /** Changes the longest frame accepted, for the frames after the current one. */
    public void maxFrameBytes(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("expected a positive frame limit but was " + limit);
        }
        this.maxFrameBytes = limit;
    }

    /** Changes the prefix width for the frames after the current one. */
    public void prefixBytes(int width) {
        if (width != 2 && width != 4) {
            throw new IllegalArgumentException("expected a 2- or 4-byte length prefix but was " + width);
        }
        this.prefixBytes = width;
    }

    /** The prefix width in use. */
    public int prefixBytes() {
        return prefixBytes;
    }

    /**
     * Reads what {@code chunk} holds, handing each complete frame to {@code sink} in order (a fresh
     * buffer the sink may keep). The sink may call {@link #prefixBytes(int)} or stop the reading by
     * returning {@code false}; what is left of the chunk then stays in it.
     *
     * @return {@code true} if the whole chunk was read
     * @throws FrameTooLargeException if a frame's length exceeds the limit; the stream is then
     *     unusable
     */
    public boolean read(ByteBuffer chunk, FrameSink sink) throws FrameTooLargeException {
        while (chunk.hasRemaining()) {
            if (frame == null) {
                while (prefix.position() < prefixBytes && chunk.hasRemaining()) {
                    prefix.put(chunk.get());
                }
                if (prefix.position() < prefixBytes) {
                    return true;
                }
                long length = prefixBytes == 2 ? prefix.getShort(0) & 0xFFFF : prefix.getInt(0) & 0xFFFF_FFFFL;
                prefix.clear();
                if (length > maxFrameBytes) {
                    throw new FrameTooLargeException(length, maxFrameBytes);
                }
                frame = ByteBuffer.allocate((int) length);
            }
            int n = Math.min(frame.remaining(), chunk.remaining());
            frame.put(chunk.slice().limit(n));
            chunk.position(chunk.position() + n);
            if (!frame.hasRemaining()) {
                ByteBuffer complete = frame.flip();
                frame = null;
                if (!sink.frame(complete)) {
                    return !chunk.hasRemaining();
                }
            }
        }
        return true;
    }

    /** Receives frames from a {@link FrameReader}. */
    @FunctionalInterface
    public interface FrameSink {
        /** Takes one frame; returns {@code false} to stop reading the current chunk. */
        boolean frame(ByteBuffer frame);
    }

    /** A sink that takes every frame. */
    public static FrameSink all(Consumer<ByteBuffer> consumer) {
        return frame -> {
            consumer.accept(frame);
            return true;
        };
    }
}
