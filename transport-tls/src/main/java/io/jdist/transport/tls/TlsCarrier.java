package io.jdist.transport.tls;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.transport.tcp.internal.NettyCarrier;
import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Distribution over TLS, as OTP's {@code inet_tls_dist}: TLS first on the distribution port, then
 * the distribution handshake inside it with 4-byte lengths. The server name indication is the host
 * part of the dialled node's name.
 */
final class TlsCarrier extends NettyCarrier {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.tls");

    private final TlsSettings settings;
    private final TlsContexts server;
    private final TlsContexts client;

    TlsCarrier(TlsSettings settings) {
        super("jdist-tls-io", settings.netty());
        try {
            this.settings = settings;
            SslProvider provider = provider(settings.provider());
            this.server = new TlsContexts(provider, settings.server());
            this.client = new TlsContexts(provider, settings.client());
            LOG.log(System.Logger.Level.INFO, "tls carrier uses {0}; protocols {1}; presenting {2}",
                    provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")"
                            : "the JDK's TLS (" + System.getProperty("java.vm.vendor") + " " + Runtime.version() + ")",
                    settings.server().protocols, server.certificate().getSubjectX500Principal().getName());
            warnIfWeakened(settings);
        } catch (RuntimeException e) {
            super.close();
            throw e;
        }
    }

    private static SslProvider provider(TlsSettings.Provider wanted) {
        return switch (wanted) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls provider openssl was asked for but cannot load: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    private static void warnIfWeakened(TlsSettings settings) {
        for (RoleOptions role : List.of(settings.server(), settings.client())) {
            if (!role.verifyPeer) {
                LOG.log(System.Logger.Level.WARNING, "tls {0} does not verify its peers'' certificates (verify=none): "
                        + "any peer that knows the cookie can connect, and the connection can be intercepted",
                        role.role);
            }
        }
        if (settings.server().verifyPeer && !settings.server().failIfNoPeerCert) {
            LOG.log(System.Logger.Level.WARNING, "tls server accepts clients without a certificate "
                    + "(requireClientCert=false): only the cookie authenticates them");
        }
    }

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public int handshakeLengthBytes() {
        return 4;
    }

    @Override
    protected void initChannel(Channel ch, ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting,
            String peerHost) {
        boolean accepted = connecting == null;
        TlsContexts contexts = accepted ? server : client;
        SslHandler ssl;
        if (accepted) {
            ssl = contexts.context().newHandler(ch.alloc());
        } else {
            String serverName = contexts.options().serverName != null ? contexts.options().serverName : peerHost;
            ssl = contexts.context().newHandler(ch.alloc(), peerHost, -1);
            if (serverName != null && !serverName.isEmpty() && !isIpLiteral(serverName)) {
                // As inet_tls_dist does; the JDK on its own sends no name without a dot in it.
                SSLEngine engine = ssl.engine();
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                engine.setSSLParameters(parameters);
            }
        }
        ssl.setHandshakeTimeoutMillis(options().connectTimeoutMillis());
        // The adapter coalesces writes (see ConnectionAdapter): one flush, one run of TLS records.
        ch.pipeline().addLast(ssl, new TlsConnectionAdapter(handler, connecting, ssl, contexts.options(), settings,
                accepted ? null : peerHost));
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
