package io.jdist.transport.tls;

import io.jdist.transport.tcp.internal.NettyOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tls} carrier's settings ({@code -Ddist.tls.NAME=VALUE} or {@code
 * NodeConfig.Builder.carrierSetting}), parsed and checked in one place. An {@code optFile} is read
 * first; the individual settings then override it for both roles.
 */
record TlsSettings(NettyOptions netty, Provider provider, RoleOptions server, RoleOptions client,
        boolean identityCheck, PeerVerifier peerVerifier) {

    /** Which TLS implementation to use. */
    enum Provider { AUTO, OPENSSL, JDK }

    private static final Set<String> OWN = Set.of("provider", "optFile", "certFile", "keyFile", "keyPasswordFile",
            "keyPasswordEnv", "caFile", "verify", "requireClientCert", "protocols", "ciphers", "identityCheck",
            "peerVerifier");

    static Set<String> known() {
        Set<String> all = new TreeSet<>(OWN);
        all.addAll(NettyOptions.KEYS);
        return all;
    }

    static TlsSettings parse(Map<String, String> settings) {
        if (settings.containsKey("keyPassword")) {
            throw new IllegalArgumentException("tls setting keyPassword is not accepted: a password in a system "
                    + "property can be read by anyone who can list the machine's processes; use keyPasswordFile "
                    + "(a file only the node's user can read) or keyPasswordEnv (the name of an environment variable)");
        }
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tls carrier settings " + unknown + "; expected some of "
                    + known());
        }
        RoleOptions server = new RoleOptions("server");
        RoleOptions client = new RoleOptions("client");
        String optFile = settings.get("optFile");
        if (optFile != null) {
            OptFile.read(Path.of(optFile), server, client);
        }
        for (RoleOptions role : List.of(server, client)) {
            override(settings, role);
        }
        server.check();
        client.check();
        return new TlsSettings(NettyOptions.parse(settings, "tls"), provider(settings.getOrDefault("provider", "auto")),
                server, client, bool(settings, "identityCheck", false), verifier(settings.get("peerVerifier")));
    }

    private static void override(Map<String, String> settings, RoleOptions role) {
        if (settings.containsKey("certFile")) {
            role.certFile = Path.of(settings.get("certFile"));
        }
        if (settings.containsKey("keyFile")) {
            role.keyFile = Path.of(settings.get("keyFile"));
        }
        if (settings.containsKey("keyPasswordFile") && settings.containsKey("keyPasswordEnv")) {
            throw new IllegalArgumentException("set one of the tls settings keyPasswordFile and keyPasswordEnv, not both");
        }
        if (settings.containsKey("keyPasswordFile")) {
            role.password = KeyPassword.file(Path.of(settings.get("keyPasswordFile")));
        }
        if (settings.containsKey("keyPasswordEnv")) {
            role.password = KeyPassword.env(settings.get("keyPasswordEnv"));
        }
        if (settings.containsKey("caFile")) {
            role.caFile = Path.of(settings.get("caFile"));
        }
        if (settings.containsKey("verify")) {
            String verify = settings.get("verify");
            role.verifyPeer = switch (verify) {
                case "peer" -> true;
                case "none" -> false;
                default -> throw new IllegalArgumentException("expected tls verify peer or none but was '" + verify + "'");
            };
        }
        if (role.isServer() && settings.containsKey("requireClientCert")) {
            role.failIfNoPeerCert = bool(settings, "requireClientCert", true);
        }
        if (settings.containsKey("protocols")) {
            role.protocols = protocols(settings.get("protocols"));
        }
        if (settings.containsKey("ciphers")) {
            role.ciphers = list(settings.get("ciphers")).stream().map(OptFile::javaCipherName).toList();
        }
    }

    private static List<String> protocols(String value) {
        List<String> protocols = list(value);
        Set<String> allowed = Set.of("TLSv1.3", "TLSv1.2");
        if (protocols.isEmpty() || !allowed.containsAll(protocols) || new HashSet<>(protocols).size() != protocols.size()) {
            throw new IllegalArgumentException("expected tls protocols TLSv1.3, TLSv1.2 or both (comma-separated) "
                    + "but was '" + value + "'");
        }
        return protocols;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split("[,:]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Provider provider(String value) {
        return switch (value) {
            case "auto" -> Provider.AUTO;
            case "openssl" -> Provider.OPENSSL;
            case "jdk" -> Provider.JDK;
            default -> throw new IllegalArgumentException("expected tls provider auto, openssl or jdk but was '"
                    + value + "'");
        };
    }

    private static boolean bool(Map<String, String> settings, String name, boolean fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false for tls setting " + name
                    + " but was '" + value + "'");
        };
    }

    private static PeerVerifier verifier(String className) {
        if (className == null) {
            return null;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className, true, loader != null ? loader : TlsSettings.class.getClassLoader());
            if (!PeerVerifier.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("tls peerVerifier " + className + " does not implement "
                        + PeerVerifier.class.getName());
            }
            return (PeerVerifier) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make tls peerVerifier " + className
                    + " (it needs a public no-argument constructor): " + e, e);
        }
    }
}
