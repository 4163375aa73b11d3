package io.jdist.internal.epmd;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What EPMD knows about one registered node: the fields of an {@code ALIVE2_REQ}, which EPMD
 * stores and returns unchanged in a {@code PORT2_RESP}. Both messages lay the fields out the same
 * way, so this record reads and writes them for the client and the server alike.
 *
 * @param name the alive name (the part before {@code @})
 * @param port the node's distribution listen port
 * @param nodeType the announced node type, {@code 77} or {@code 72} in practice ({@link NodeType})
 * @param protocol the distribution protocol, {@code 0} (TCP/IPv4) in practice
 * @param highestVersion the highest distribution version the node speaks
 * @param lowestVersion the lowest distribution version the node speaks
 * @param extra opaque bytes, empty for OTP nodes; copied in and out
 */
public record NodeEntry(
        String name, int port, int nodeType, int protocol,
        int highestVersion, int lowestVersion, byte[] extra) {

    public NodeEntry {
        Objects.requireNonNull(name, "name");
        checkU16(port, "port");
        checkU8(nodeType, "node type");
        checkU8(protocol, "protocol");
        checkU16(highestVersion, "highest version");
        checkU16(lowestVersion, "lowest version");
        extra = extra.clone();
        if (extra.length > EpmdProtocol.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("extra of " + extra.length
                    + " bytes exceeds epmd's limit of " + EpmdProtocol.MAX_NAME_BYTES);
        }
    }

    /**
     * The entry a jdist node registers: protocol TCP, versions 6..6, no extra. OTP 25.2.3 itself
     * registers lowest version 5; a looking-up OTP node only needs 6 within the range.
     */
    public static NodeEntry of(String aliveName, int port, NodeType type) {
        return new NodeEntry(aliveName, port, type.code(), EpmdProtocol.PROTOCOL_TCP,
                EpmdProtocol.DIST_VERSION, EpmdProtocol.DIST_VERSION, new byte[0]);
    }

    /** A copy of the extra bytes. */
    @Override
    public byte[] extra() {
        return extra.clone();
    }

    /** Writes the fields in the layout shared by {@code ALIVE2_REQ} and {@code PORT2_RESP}. */
    void writeTo(DataOutput out) throws IOException {
        byte[] nameBytes = EpmdProtocol.encodeName(name);
        out.writeShort(port);
        out.writeByte(nodeType);
        out.writeByte(protocol);
        out.writeShort(highestVersion);
        out.writeShort(lowestVersion);
        out.writeShort(nameBytes.length);
        out.write(nameBytes);
        out.writeShort(extra.length);
        out.write(extra);
    }

    /**
     * Reads the fields written by {@link #writeTo}.
     *
     * @throws java.io.EOFException if the input ends inside the entry
     * @throws CharacterCodingException if the name is not UTF-8 or contains NUL
     * @throws IllegalArgumentException if the name or the extra exceeds epmd's limits
     */
    static NodeEntry readFrom(DataInput in) throws IOException {
        int port = in.readUnsignedShort();
        int nodeType = in.readUnsignedByte();
        int protocol = in.readUnsignedByte();
        int highest = in.readUnsignedShort();
        int lowest = in.readUnsignedShort();
        byte[] name = new byte[in.readUnsignedShort()];
        in.readFully(name);
        byte[] extra = new byte[in.readUnsignedShort()];
        in.readFully(extra);
        String decoded = EpmdProtocol.decodeName(name);
        EpmdProtocol.encodeName(decoded); // the same limits as for names we send
        return new NodeEntry(decoded, port, nodeType, protocol, highest, lowest, extra);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeEntry other
                && name.equals(other.name) && port == other.port && nodeType == other.nodeType
                && protocol == other.protocol && highestVersion == other.highestVersion
                && lowestVersion == other.lowestVersion && Arrays.equals(extra, other.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, port, nodeType, protocol, highestVersion, lowestVersion)
                * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "NodeEntry[name=" + name + ", port=" + port + ", nodeType=" + nodeType
                + ", protocol=" + protocol + ", versions=" + lowestVersion + ".." + highestVersion
                + ", extra=" + HexFormat.of().formatHex(extra) + "]";
    }

    private static void checkU16(int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(
                    "expected " + what + " in 0..65535 but was " + value);
        }
    }

    private static void checkU8(int value, String what) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("expected " + what + " in 0..255 but was " + value);
        }
    }
}
