package io.jdist.transport.tls;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.transport.tcp.internal.ConnectionAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A connection that opens for jdist once its TLS handshake has succeeded, and checks the node name
 * its peer uses against the peer's certificate.
 */
final class TlsConnectionAdapter extends ConnectionAdapter {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.tls");

    private final SslHandler ssl;
    private final RoleOptions role;
    private final TlsSettings settings;
    /** For an outgoing connection, the host dialled; else {@code null}. */
    private final String peerHost;

    TlsConnectionAdapter(ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting, SslHandler ssl,
            RoleOptions role, TlsSettings settings, String peerHost) {
        super(handler, connecting, false);
        this.ssl = ssl;
        this.role = role;
        this.settings = settings;
        this.peerHost = peerHost;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                handshakeDone(ctx);
            } else {
                LOG.log(System.Logger.Level.WARNING, "tls handshake {0} {1} failed: {2}", describe(),
                        ctx.channel().remoteAddress(), TlsFailures.describe(done.cause()));
                failBeforeOpen(ctx, done.cause());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    private void handshakeDone(ChannelHandlerContext ctx) {
        SSLSession session = ssl.engine().getSession();
        List<Certificate> chain;
        try {
            chain = List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            chain = List.of();
        }
        int intermediates = intermediates(chain);
        if (role.verifyPeer && intermediates > role.depth) {
            String why = "the peer's certificate chain has " + intermediates + " intermediate certificates; depth "
                    + "allows " + role.depth;
            LOG.log(System.Logger.Level.WARNING, "tls handshake {0} {1} failed: {2}", describe(),
                    ctx.channel().remoteAddress(), why);
            failBeforeOpen(ctx, new javax.net.ssl.SSLException(why));
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "tls {0} {1} with {2}", session.getProtocol(), session.getCipherSuite(),
                ctx.channel().remoteAddress());
        open(ctx, chain);
    }

    /** Certificates between the peer's own and the trusted root, which the peer may or may not send. */
    private static int intermediates(List<Certificate> chain) {
        if (chain.size() < 2) {
            return 0;
        }
        X509Certificate last = (X509Certificate) chain.get(chain.size() - 1);
        boolean rootSent = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
        return chain.size() - 1 - (rootSent ? 1 : 0);
    }

    /** A TLS failure after the handshake (a TLS 1.3 client learns late that it was refused) in words. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable described = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                described = new javax.net.ssl.SSLException("tls: " + TlsFailures.describe(cause), cause);
                break;
            }
        }
        super.exceptionCaught(ctx, described);
    }

    private String describe() {
        return peerHost != null ? "with " + peerHost + " at" : "from";
    }

    @Override
    public Optional<String> checkPeer(String nodeName) {
        List<X509Certificate> chain = peerCertificates().stream().map(X509Certificate.class::cast).toList();
        if (settings.identityCheck()) {
            if (chain.isEmpty()) {
                return Optional.of("identity check failed: " + nodeName + " presented no certificate");
            }
            Optional<String> mismatch = IdentityCheck.mismatch(nodeName, chain.get(0));
            if (mismatch.isPresent()) {
                return Optional.of("identity check failed: " + mismatch.get());
            }
        }
        PeerVerifier verifier = settings.peerVerifier();
        if (verifier != null && !verifier.allow(nodeName, chain)) {
            return Optional.of("peer verifier " + verifier.getClass().getName() + " refused " + nodeName
                    + (chain.isEmpty() ? "" : " with certificate " + chain.get(0).getSubjectX500Principal().getName()));
        }
        return Optional.empty();
    }
}
