package io.jdist.internal.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private static final HexFormat HEX = HexFormat.of();

    private static List<String> readAll(FrameReader reader, String... chunks) throws FrameTooLargeException {
        List<String> frames = new ArrayList<>();
        for (String chunk : chunks) {
            assertTrue(reader.read(ByteBuffer.wrap(HEX.parseHex(chunk)), FrameReader.all(f -> frames.add(hex(f)))));
        }
        return frames;
    }

    private static String hex(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return HEX.formatHex(bytes);
    }

    @Test
    void joinsFramesSplitAcrossChunksAtEveryByte() throws FrameTooLargeException {
        String stream = "0003736f6b" + "0002aabb" + "0000";
        for (int cut = 0; cut <= stream.length(); cut += 2) {
            FrameReader reader = new FrameReader(2, 100);
            assertEquals(List.of("736f6b", "aabb", ""),
                    readAll(reader, stream.substring(0, cut), stream.substring(cut)), "cut at " + cut / 2);
        }
    }

    @Test
    void switchesPrefixWidthBetweenFramesOfOneChunk() throws FrameTooLargeException {
        // The last handshake message ('a' + digest, 2-byte prefix) and a tick and a packet (4-byte).
        String stream = "001161" + "00".repeat(16) + "00000000" + "0000000270ff";
        FrameReader reader = new FrameReader(2, 100);
        List<String> frames = new ArrayList<>();
        reader.read(ByteBuffer.wrap(HEX.parseHex(stream)), frame -> {
            frames.add(hex(frame));
            reader.prefixBytes(4);
            return true;
        });
        assertEquals(List.of("61" + "00".repeat(16), "", "70ff"), frames);
    }

    @Test
    void stopsWhenTheSinkAsksAndLeavesTheRestInTheChunk() throws FrameTooLargeException {
        FrameReader reader = new FrameReader(2, 100);
        ByteBuffer chunk = ByteBuffer.wrap(HEX.parseHex("0001aa0001bb"));
        assertFalse(reader.read(chunk, frame -> false));
        assertEquals(3, chunk.remaining());
    }

    @Test
    void refusesFrameLongerThanTheLimitBeforeAllocatingIt() {
        FrameReader reader = new FrameReader(4, 65536);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> reader.read(ByteBuffer.wrap(HEX.parseHex("00011170")), FrameReader.all(f -> { })));
        assertEquals("frame of 70000 bytes exceeds the limit of 65536", e.getMessage());
        FrameReader huge = new FrameReader(4, Integer.MAX_VALUE - 8);
        assertThrows(FrameTooLargeException.class,
                () -> huge.read(ByteBuffer.wrap(HEX.parseHex("ffffffff")), FrameReader.all(f -> { })));
    }

    @Test
    void refusesPrefixWidthOtherThanTwoOrFour() {
        assertThrows(IllegalArgumentException.class, () -> new FrameReader(3, 10));
    }
}
