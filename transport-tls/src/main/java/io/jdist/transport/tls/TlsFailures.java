package io.jdist.transport.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Says in words what a failed TLS handshake most likely means, for the warning a refused peer
 * gets. The provider's own message follows, so nothing is lost.
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
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                break;
            }
        }
        String text = all.toString().toLowerCase(Locale.ROOT);
        String meaning;
        if (hasCause(failure, NotSslRecordException.class)) {
            meaning = "the peer does not speak TLS (a node on the tcp carrier, or not a node at all)";
        } else if (hasCause(failure, SslHandshakeTimeoutException.class)) {
            meaning = "no TLS handshake within the time allowed (is the peer a node on the tcp carrier?)";
        } else if (root instanceof CertificateExpiredException || text.contains("certificate expired")
                || text.contains("certificate_expired") || text.contains("validity check failed")) {
            meaning = "a certificate has expired or is not yet valid";
        } else if (root instanceof CertificateNotYetValidException) {
            meaning = "a certificate is not yet valid";
        } else if (text.contains("empty client certificate chain") || text.contains("peer_did_not_return_a_certificate")
                || text.contains("certificate_required") || text.contains("certificate required")) {
            meaning = "the client presented no certificate, and mutual TLS requires one";
        } else if (text.contains("unable to find valid certification path") || text.contains("path building failed")
                || text.contains("unknown_ca") || text.contains("unknown ca") || text.contains("path validation failed")) {
            meaning = "a certificate is not signed by a CA the other side trusts";
        } else if (text.contains("bad_certificate") || text.contains("bad certificate")) {
            meaning = "the other side rejected this node's certificate";
        } else if (hasCause(failure, ClosedChannelException.class) || text.contains("closed")) {
            meaning = "the peer closed the connection during the TLS handshake (it may have rejected this node's "
                    + "certificate; see its log)";
        } else if (text.contains("protocol_version") || text.contains("no appropriate protocol")
                || text.contains("unsupported_protocol") || text.contains("protocol version")) {
            meaning = "the two sides have no TLS version in common";
        } else if (text.contains("handshake_failure") || text.contains("no_shared_cipher")
                || text.contains("no cipher suites in common")) {
            meaning = "the two sides have no cipher suite in common";
        } else {
            meaning = "the TLS handshake failed";
        }
        String detail = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return meaning + " (" + detail + ")";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
