package io.jdist.transport.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a certificate names a node's host: the host part of the node name must equal one of the
 * certificate's subject alternative names, a DNS name (case-insensitive; a leading {@code *.}
 * stands for exactly one label) or an IP address. The subject's common name is not consulted.
 */
final class IdentityCheck {

    private static final int DNS = 2;
    private static final int IP = 7;

    private IdentityCheck() {
    }

    /** Why {@code certificate} does not name {@code nodeName}'s host, or empty if it does. */
    static Optional<String> mismatch(String nodeName, X509Certificate certificate) {
        String host = nodeName.substring(nodeName.indexOf('@') + 1);
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.of("the certificate of " + nodeName + " has unreadable subject alternative names: "
                    + e.getMessage());
        }
        InetAddress hostAddress = ipLiteral(host);
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == DNS) {
                    names.add("DNS:" + value);
                    if (hostAddress == null && dnsMatches(value, host)) {
                        return Optional.empty();
                    }
                } else if (type == IP) {
                    names.add("IP:" + value);
                    if (hostAddress != null && hostAddress.equals(ipLiteral(value))) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of("the certificate of " + nodeName + " (" + certificate.getSubjectX500Principal().getName()
                + ") names " + (names.isEmpty() ? "no DNS or IP subject alternative name" : names)
                + ", not the node's host " + host);
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    /** {@code text} as an address if it is an IP literal, else {@code null} (never a DNS lookup). */
    private static InetAddress ipLiteral(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
