package io.jdist.transport.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an Erlang {@code ssl_dist_optfile} for mutual TLS: the file {@code erl -proto_dist inet_tls
 * -ssl_dist_optfile FILE} reads, and jdist's {@code tls} carrier too ({@code -Ddist.tls.optFile=FILE}).
 * Both roles verify their peer, the server requires a client certificate, TLS 1.3 and 1.2. The
 * {@code jdist certs} command, the demo and the node benchmark write theirs with it.
 */
public final class ErlangOptFile {

    private ErlangOptFile() {
    }

    /**
     * Writes the file, naming the certificate, key and CA files by absolute path so that nodes
     * started in any directory find them.
     */
    public static void write(Path file, Path certFile, Path keyFile, Path caFile) throws IOException {
        Files.writeString(file, text(certFile, keyFile, caFile), StandardCharsets.UTF_8);
    }

    /** The file's text, as {@link #write} writes it. */
    public static String text(Path certFile, Path keyFile, Path caFile) {
        String files = "{certfile, " + string(certFile) + "},\n"
                + "           {keyfile, " + string(keyFile) + "},\n"
                + "           {cacertfile, " + string(caFile) + "},\n";
        // No secure_renegotiate: OTP 25 fails every handshake when it meets TLS 1.3 (transport-tls README).
        String versions = "           {versions, ['tlsv1.3', 'tlsv1.2']}]}";
        return "%% Written by jdist. Erlang: erl -proto_dist inet_tls -ssl_dist_optfile THIS_FILE\n"
                + "%% jdist: -Ddist.carrier=tls -Ddist.tls.optFile=THIS_FILE\n"
                + "[{server, [" + files
                + "           {verify, verify_peer}, {fail_if_no_peer_cert, true},\n"
                + versions + ",\n"
                + " {client, [" + files
                + "           {verify, verify_peer},\n"
                + versions + "].\n";
    }

    /** {@code path}, absolute, as an Erlang string literal. */
    private static String string(Path path) {
        String text = path.toAbsolutePath().normalize().toString();
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
