package io.jdist.internal.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Node names with {@code erl}'s rules for {@code -sname} and {@code -name}. */
public final class NodeNames {

    private static final Pattern ALIVE = Pattern.compile("[0-9A-Za-z_-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private NodeNames() {
    }

    /**
     * The full name for {@code erl -sname NAME}: {@code NAME} alone gets this host's short name; a
     * host part must not contain a dot.
     *
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    public static String shortName(String name) {
        String alive = alive(name);
        String host = name.indexOf('@') >= 0 ? name.substring(name.indexOf('@') + 1) : shortHostName();
        checkHost(name, host);
        if (host.indexOf('.') >= 0) {
            throw new IllegalArgumentException("short node name '" + name
                    + "' has a dot in its host part; use a long name (name) for hosts with domains");
        }
        return alive + "@" + host;
    }

    /**
     * The full name for {@code erl -name NAME}: {@code NAME} alone gets this host's fully qualified
     * name; a host part must contain a dot or be an IP address.
     *
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    public static String longName(String name) {
        String alive = alive(name);
        String host;
        if (name.indexOf('@') >= 0) {
            host = name.substring(name.indexOf('@') + 1);
        } else {
            host = fullHostName();
            if (host.indexOf('.') < 0) {
                throw new IllegalArgumentException("cannot make a long name for '" + name + "': this host's name '"
                        + host + "' has no domain; give the host part, as in " + name + "@127.0.0.1");
            }
        }
        checkHost(name, host);
        if (host.indexOf('.') < 0 && !isIpAddress(host)) {
            throw new IllegalArgumentException("long node name '" + name
                    + "' needs a host part with a dot or an IP address, as in " + alive + "@127.0.0.1");
        }
        return alive + "@" + host;
    }

    /** The part of a full name before {@code @}. */
    public static String aliveOf(String fullName) {
        return fullName.substring(0, fullName.indexOf('@'));
    }

    /** The part of a full name after {@code @}. */
    public static String hostOf(String fullName) {
        return fullName.substring(fullName.indexOf('@') + 1);
    }

    /** Whether {@code name} is {@code alive@host} with both parts non-empty and one {@code @}. */
    public static boolean isFullName(String name) {
        int at = name.indexOf('@');
        return at > 0 && at < name.length() - 1 && name.indexOf('@', at + 1) < 0;
    }

    private static String alive(String name) {
        int at = name.indexOf('@');
        String alive = at >= 0 ? name.substring(0, at) : name;
        if (!ALIVE.matcher(alive).matches()) {
            throw new IllegalArgumentException("node name '" + name
                    + "' must start with letters, digits, '_' or '-' before any '@'");
        }
        if (at >= 0 && name.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("node name '" + name + "' has more than one '@'");
        }
        return alive;
    }

    private static void checkHost(String name, String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("node name '" + name + "' has an empty host part");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < 0x21 || c > 0xFF) {
                throw new IllegalArgumentException("node name '" + name + "' has a space or control character"
                        + " in its host part");
            }
        }
        if (name.length() > 255) {
            throw new IllegalArgumentException("node name '" + name + "' is longer than 255 characters");
        }
    }

    static boolean isIpAddress(String host) {
        return IPV4.matcher(host).matches() || (host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+"));
    }

    private static String shortHostName() {
        String host = hostName();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }

    private static String fullHostName() {
        try {
            String host = hostName();
            return host.indexOf('.') >= 0 ? host : InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return hostName();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // getLocalHost fails when the host name does not resolve; the name is in the message.
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(':');
            return colon > 0 ? message.substring(0, colon).trim() : "localhost";
        }
    }
}
