package io.jdist.transport.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * The TLS options of one role, as OTP's {@code ssl_dist_optfile} splits them: {@code server} for
 * accepted connections, {@code client} for dialled ones. Filled in by {@link OptFile} and {@link
 * TlsSettings}, then read only.
 */
final class RoleOptions {

    /** Both TLS versions, 1.3 preferred. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** OTP's default for {@code depth}: intermediate certificates allowed below the trusted CA. */
    static final int DEFAULT_DEPTH = 10;

    final String role;
    Path certFile;
    Path keyFile;
    KeyPassword password = KeyPassword.NONE;
    Path caFile;
    boolean verifyPeer = true;
    /** Server only: refuse a client that presents no certificate. */
    boolean failIfNoPeerCert = true;
    List<String> protocols = DEFAULT_PROTOCOLS;
    /** Cipher suites by their IANA (Java) names; empty for the provider's defaults. */
    List<String> ciphers = List.of();
    int depth = DEFAULT_DEPTH;
    /** Client only: the server name indication, {@code null} for the peer's host, empty for none. */
    String serverName;

    RoleOptions(String role) {
        this.role = role;
    }

    boolean isServer() {
        return role.equals("server");
    }

    /** The files whose change means the role's TLS context must be made again. */
    List<Path> files() {
        return java.util.stream.Stream.of(certFile, keyFile, caFile, password.file())
                .filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Checks that the options make a usable TLS context.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    void check() {
        if (certFile == null) {
            throw new IllegalArgumentException("tls " + role + " needs a certificate: set certFile "
                    + "(-Ddist.tls.certFile=node.pem) or certfile in the " + role + " options of optFile");
        }
        if (verifyPeer && caFile == null) {
            throw new IllegalArgumentException("tls " + role + " verifies its peers but has no CA: set caFile "
                    + "(-Ddist.tls.caFile=ca.pem) or cacertfile in the " + role + " options of optFile, or turn "
                    + "verification off with verify=none");
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("tls " + role + " has no protocol versions enabled");
        }
    }
}
