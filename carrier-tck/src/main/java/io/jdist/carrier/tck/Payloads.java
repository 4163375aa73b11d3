package io.jdist.carrier.tck;

import io.jdist.carrier.CarrierConnection;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** The bytes the carrier-level suite sends, and how it writes them. */
final class Payloads {

    private static final int MIB = 1024 * 1024;

    private Payloads() {
    }

    /** {@code length} bytes that differ with {@code seed} and do not repeat at any short period. */
    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** 1 KiB that starts with {@code number}, for a connection to say which it is. */
    static byte[] numbered(long number) {
        byte[] bytes = pattern(1024, (int) number + 100);
        ByteBuffer.wrap(bytes).putLong(number);
        return bytes;
    }

    /**
     * Writes {@code bytes} from a thread of its own, in writes of 1 byte to 4 KiB, each split over
     * one to three buffers: heap and direct, read-only, and views into larger arrays, so that a
     * carrier that sends a buffer from its start rather than its position is caught.
     */
    static CompletableFuture<Void> writeMixed(CarrierConnection connection, byte[] bytes, Random random) {
        return CompletableFuture.runAsync(() -> {
            int offset = 0;
            while (offset < bytes.length) {
                int size = Math.min(bytes.length - offset, 1 + random.nextInt(4096));
                int parts = 1 + random.nextInt(3);
                ByteBuffer[] buffers = new ByteBuffer[parts];
                int cut = offset;
                for (int p = 0; p < parts; p++) {
                    int end = p == parts - 1 ? offset + size : cut + random.nextInt(offset + size - cut + 1);
                    buffers[p] = buffer(bytes, cut, end - cut, random.nextInt(3));
                    cut = end;
                }
                connection.write(buffers);
                offset += size;
            }
        }, runnable -> new Thread(runnable, "tck-writer").start());
    }

    private static ByteBuffer buffer(byte[] bytes, int offset, int length, int kind) {
        return switch (kind) {
            case 0 -> ByteBuffer.wrap(bytes, offset, length);
            case 1 -> ByteBuffer.allocateDirect(length).put(bytes, offset, length).flip();
            default -> ByteBuffer.wrap(bytes, offset, length).asReadOnlyBuffer();
        };
    }

    /** Writes {@code bytes} from a thread of its own, 1 MiB a write. */
    static CompletableFuture<Void> writeInMebibytes(CarrierConnection connection, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            for (int offset = 0; offset < bytes.length; offset += MIB) {
                connection.write(ByteBuffer.wrap(bytes, offset, Math.min(MIB, bytes.length - offset)));
            }
        }, runnable -> new Thread(runnable, "tck-writer").start());
    }
}
