package io.jdist.internal.epmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EPMD wire formats on byte vectors, and the creation rules, without sockets. */
class EpmdCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void alive2RequestMatchesTheReferenceBytes() {
        // The protocol notes' example: alive name "java" on port 9000, no extra.
        byte[] framed = EpmdProtocol.frame(out -> {
            out.writeByte(EpmdProtocol.ALIVE2_REQ);
            NodeEntry.of("java", 9000, NodeType.NORMAL).writeTo(out);
        });
        assertEquals("0011" + "78" + "2328" + "4d" + "00" + "0006" + "0006" + "0004" + "6a617661"
                + "0000", HEX.formatHex(framed));
    }

    @Test
    void nodeEntryReadsWhatItWrites() throws Exception {
        NodeEntry entry = new NodeEntry("ünï", 65535, 72, 0, 6, 5, new byte[] {1, 2, 3});
        byte[] body = EpmdProtocol.frame(entry::writeTo);
        NodeEntry read = NodeEntry.readFrom(
                new DataInputStream(new ByteArrayInputStream(body, 2, body.length - 2)));
        assertEquals(entry, read);
        assertArrayEquals(new byte[] {1, 2, 3}, read.extra());
    }

    @Test
    void namesResponseHasEpmdsExactTextFormat() {
        EpmdNames names = new EpmdNames(4369, List.of(
                new EpmdNames.Entry("a", 1234), new EpmdNames.Entry("b_2", 65535)));
        byte[] expected = ("\0\0\u0011\u0011name a at port 1234\nname b_2 at port 65535\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, names.encode());
    }

    @Test
    void namesResponseParsesBack() throws Exception {
        EpmdNames names = new EpmdNames(4369, List.of(
                new EpmdNames.Entry("x at port y", 1), new EpmdNames.Entry("ö", 2)));
        assertEquals(names, EpmdNames.parse(names.encode(), "here:1"));
        assertEquals(new EpmdNames(17, List.of()),
                EpmdNames.parse(new byte[] {0, 0, 0, 17}, "here:1"));
    }

    @Test
    void malformedNamesLineNamesTheLineAndTheEpmd() {
        byte[] response = "\0\0\0\u0001name a at port x\n".getBytes(StandardCharsets.US_ASCII);
        EpmdException e = assertThrows(EpmdException.class,
                () -> EpmdNames.parse(response, "host:9"));
        assertEquals("epmd at host:9 sent a NAMES line 'name a at port x'; expected"
                + " 'name <alive> at port <port>'", e.getMessage());
    }

    @Test
    void aliveNamesAreCheckedBeforeSending() {
        assertThrows(IllegalArgumentException.class, () -> EpmdProtocol.encodeName(""));
        assertThrows(IllegalArgumentException.class, () -> EpmdProtocol.encodeName("a@host"));
        assertThrows(IllegalArgumentException.class, () -> EpmdProtocol.encodeName("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> EpmdProtocol.encodeName("n".repeat(256)));
        assertEquals(255 * 2, EpmdProtocol.encodeName("é".repeat(255)).length);
    }

    @Test
    void creationChangesOnEveryRegistrationOfANameAndAvoidsZeroToThree() {
        NodeRegistry registry = new NodeRegistry();
        NodeEntry entry = NodeEntry.of("n", 1, NodeType.NORMAL);
        int previous = 0;
        for (int i = 0; i < 50; i++) {
            NodeRegistry.Slot slot = registry.register(entry);
            assertTrue(Integer.toUnsignedLong(slot.creation()) > 3, "creation " + slot.creation());
            assertNotEquals(previous, slot.creation());
            previous = slot.creation();
            assertNull(registry.register(entry), "a live name is refused");
            assertTrue(registry.unregister(slot));
        }
    }

    @Test
    void oldProtocolRegistrationsGetCreationOneToThree() {
        NodeRegistry registry = new NodeRegistry();
        NodeEntry old = new NodeEntry("old", 1, 77, 0, 5, 5, new byte[0]);
        for (int i = 0; i < 10; i++) {
            NodeRegistry.Slot slot = registry.register(old);
            assertTrue(slot.creation() >= 1 && slot.creation() <= 3, "creation " + slot.creation());
            registry.unregister(slot);
        }
    }

    @Test
    void epmdPortComesFromTheEnvironmentVariableWhenSet() {
        assertEquals(4369, EpmdClient.portFrom(null));
        assertEquals(4369, EpmdClient.portFrom(" "));
        assertEquals(4370, EpmdClient.portFrom("4370"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpmdClient.portFrom("epmd"));
        assertEquals("expected ERL_EPMD_PORT to be a port in 1..65535 but was 'epmd'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EpmdClient.portFrom("70000"));
    }
}
