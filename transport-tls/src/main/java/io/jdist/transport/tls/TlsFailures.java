package io.jdist.transport.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Says in words what a failed TLS handshake most likely means, for the warning a refused peer
 * gets. It tells this node's own verdict on the peer (its certificate is not signed by a CA in
 * {@code caFile}, has expired, is missing) apart from the peer's verdict on this node, which arrives
 * as a TLS alert. The provider's own message follows in parentheses, so nothing is lost.
 */
final class TlsFailures {

    private TlsFailures() {
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(' ').append(t.getClass().getSimpleName()).append(' ').append(t.getMessage());
            root = t;
        }
        String text = all.toString().toLowerCase(Locale.ROOT);
        String detail = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return meaning(failure, text) + " (" + detail + ")";
    }

    private static String meaning(Throwable failure, String text) {
        if (has(failure, NotSslRecordException.class)) {
            return "the peer does not speak TLS (a node on the tcp carrier, or not a node at all)";
        }
        if (has(failure, SslHandshakeTimeoutException.class)) {
            return "no TLS handshake within the time allowed (is the peer a node on the tcp carrier?)";
        }
        // The peer's verdict on this node, sent as an alert.
        if (text.contains("alert")) {
            if (text.contains("certificate_required") || text.contains("certificate required")) {
                return "the peer requires a client certificate and this node presented none (this node presents "
                        + "its certificate only when it is signed by a CA the peer names as trusted)";
            }
            if (text.contains("certificate_expired") || text.contains("certificate expired")) {
                return "the peer refused this node's certificate as expired";
            }
            if (text.contains("unknown_ca") || text.contains("bad_certificate") || text.contains("certificate_unknown")
                    || text.contains("unsupported_certificate") || text.contains("bad certificate")) {
                return "the peer refused this node's certificate (is it signed by a CA the peer trusts, "
                        + "and does it name the host the peer dialled?)";
            }
            if (text.contains("protocol_version")) {
                return "the two sides have no TLS version in common";
            }
            if (text.contains("internal_error")) {
                return "the peer ended the TLS handshake with an internal_error alert (an OpenSSL peer sends it "
                        + "when it does not trust this node's certificate; see its log)";
            }
            if (text.contains("handshake_failure")) {
                return "the peer ended the TLS handshake (no TLS version or cipher suite in common?)";
            }
        }
        // This node's verdict on the peer.
        if (has(failure, CertificateExpiredException.class) || has(failure, CertificateNotYetValidException.class)
                || text.contains("validity check failed") || text.contains("certificate_expired")) {
            return "the peer's certificate has expired or is not yet valid";
        }
        if (text.contains("empty client certificate chain") || text.contains("peer_did_not_return_a_certificate")) {
            return "the client presented no certificate, and mutual TLS requires one (a client presents its "
                    + "certificate only when it is signed by a CA this node trusts)";
        }
        if (has(failure, CertPathBuilderException.class) || has(failure, CertPathValidatorException.class)
                || text.contains("unable to find valid certification path") || text.contains("path building failed")) {
            return "the peer's certificate is not signed by a CA in this node's caFile";
        }
        if (text.contains("no appropriate protocol") || text.contains("unsupported_protocol")
                || text.contains("protocol version")) {
            return "the two sides have no TLS version in common";
        }
        if (text.contains("no_shared_cipher") || text.contains("no cipher suites in common")) {
            return "the two sides have no cipher suite in common";
        }
        if (has(failure, ClosedChannelException.class) || text.contains("closed")) {
            return "the peer closed the connection during the TLS handshake (it may have refused this node's "
                    + "certificate; see its log)";
        }
        return "the TLS handshake failed";
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
