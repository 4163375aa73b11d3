package io.jdist.transport.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One role's TLS context, made again from its files when they change: each new connection checks
 * the modification times and sizes of the certificate, key, CA and password files (a few {@code
 * stat} calls, negligible beside a TLS handshake). Connections already made keep the context they
 * started with. When changed files cannot be loaded (a half-written key, a wrong password) the
 * previous context stays in use and one warning says why.
 */
final class TlsContexts {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.tls");

    private record FileStamp(Path file, long modifiedNanos, long size) {
    }

    private record Loaded(SslContext context, List<FileStamp> stamps, X509Certificate certificate) {
    }

    private final SslProvider provider;
    private final RoleOptions options;
    private volatile Loaded current;
    /** The stamps of files that failed to load, so that the failure is reported once. */
    private List<FileStamp> failed;

    /**
     * Loads the role's files now.
     *
     * @throws IllegalArgumentException if they cannot be loaded, saying which file and why
     */
    TlsContexts(SslProvider provider, RoleOptions options) {
        this.provider = provider;
        this.options = options;
        try {
            current = load(stamps());
        } catch (IOException e) {
            throw new IllegalArgumentException("tls " + options.role + ": " + e.getMessage(), e);
        }
    }

    RoleOptions options() {
        return options;
    }

    /** The certificate this role presents now. */
    X509Certificate certificate() {
        return current.certificate();
    }

    /** The context for a new connection, made again first if the files changed. */
    SslContext context() {
        Loaded loaded = current;
        List<FileStamp> now = stamps();
        if (now.equals(loaded.stamps())) {
            return loaded.context();
        }
        synchronized (this) {
            if (now.equals(current.stamps()) || now.equals(failed)) {
                return current.context();
            }
            try {
                current = load(now);
                failed = null;
                LOG.log(System.Logger.Level.INFO, "tls {0} files changed; new connections present {1}, valid until {2}",
                        options.role, current.certificate().getSubjectX500Principal().getName(),
                        current.certificate().getNotAfter().toInstant());
            } catch (IOException | RuntimeException e) {
                failed = now;
                LOG.log(System.Logger.Level.WARNING, "tls {0} files changed but cannot be loaded; new connections "
                        + "keep using the previous ones: {1}", options.role, e.getMessage());
            }
            return current.context();
        }
    }

    private List<FileStamp> stamps() {
        List<FileStamp> stamps = new ArrayList<>();
        for (Path file : options.files()) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(new FileStamp(file, a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                        a.size()));
            } catch (IOException e) {
                stamps.add(new FileStamp(file, -1, -1));
            }
        }
        return stamps;
    }

    private Loaded load(List<FileStamp> stamps) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(options.certFile);
        PrivateKey key = PemFiles.privateKey(options.keyFile != null ? options.keyFile : options.certFile,
                options.password.read());
        SslContextBuilder builder = options.isServer() ? SslContextBuilder.forServer(key, chain)
                : SslContextBuilder.forClient().keyManager(key, chain)
                        // jdist checks names itself, in both directions, when identityCheck is on.
                        .endpointIdentificationAlgorithm(null);
        builder.sslProvider(provider).protocols(options.protocols);
        if (options.verifyPeer) {
            builder.trustManager(PemFiles.certificates(options.caFile));
        } else {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (options.isServer()) {
            builder.clientAuth(!options.verifyPeer ? ClientAuth.NONE
                    : options.failIfNoPeerCert ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!options.ciphers.isEmpty()) {
            builder.ciphers(options.ciphers);
        }
        try {
            return new Loaded(builder.build(), stamps, chain.get(0));
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("cannot make a TLS context from " + options.certFile + ": " + e.getMessage(), e);
        }
    }
}
