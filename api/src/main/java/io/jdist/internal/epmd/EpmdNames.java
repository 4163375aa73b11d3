package io.jdist.internal.epmd;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code NAMES_RESP}: the port the EPMD listens on, then one text line per registered node,
 * {@code name <alive> at port <port>\n}, exactly as OTP's epmd writes it (and as
 * {@code net_adm:names/0} and {@code epmd -names} read it).
 *
 * @param epmdPort the port the answering EPMD says it listens on
 * @param nodes the registered nodes, in the order EPMD listed them
 */
public record EpmdNames(int epmdPort, List<Entry> nodes) {

    private static final String PREFIX = "name ";
    private static final String SEPARATOR = " at port ";

    public EpmdNames {
        nodes = List.copyOf(nodes);
    }

    /** The entry for an alive name, if EPMD listed it. */
    public Optional<Entry> find(String aliveName) {
        return nodes.stream().filter(e -> e.name().equals(aliveName)).findFirst();
    }

    /** The response bytes: u32 EPMD port, then the lines, UTF-8 as the names were registered. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 32 * nodes.size());
        out.writeBytes(ByteBuffer.allocate(4).putInt(epmdPort).array());
        for (Entry e : nodes) {
            out.writeBytes((PREFIX + e.name() + SEPARATOR + e.port() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * Parses a complete response (EPMD closes the connection after it).
     *
     * @param address the EPMD's {@code host:port}, for error messages
     */
    static EpmdNames parse(byte[] response, String address) throws EpmdException {
        if (response.length < 4) {
            throw new EpmdException(address, "epmd at " + address + " sent a NAMES response of "
                    + response.length + " bytes; expected at least 4");
        }
        int port = ByteBuffer.wrap(response, 0, 4).getInt();
        String text = new String(response, 4, response.length - 4, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            entries.add(parseLine(line, address));
        }
        return new EpmdNames(port, entries);
    }

    private static Entry parseLine(String line, String address) throws EpmdException {
        // The name may itself contain " at port ", so the port is found from the end.
        int at = line.lastIndexOf(SEPARATOR);
        if (!line.startsWith(PREFIX) || at < PREFIX.length()) {
            throw malformed(line, address);
        }
        try {
            int port = Integer.parseInt(line.substring(at + SEPARATOR.length()));
            return new Entry(line.substring(PREFIX.length(), at), port);
        } catch (IllegalArgumentException e) {
            throw malformed(line, address);
        }
    }

    private static EpmdException malformed(String line, String address) {
        return new EpmdException(address, "epmd at " + address + " sent a NAMES line '" + line
                + "'; expected 'name <alive> at port <port>'");
    }

    /**
     * One registered node as {@code NAMES} reports it.
     *
     * @param name the alive name
     * @param port the node's distribution listen port
     */
    public record Entry(String name, int port) {

        public Entry {
            Objects.requireNonNull(name, "name");
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("expected port in 0..65535 but was " + port);
            }
        }
    }
}
