package io.jdist.cli;

import io.jdist.transport.tls.ErlangOptFile;
import io.jdist.transport.tls.NodeCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jdist certs}: a cluster CA and node certificates for the {@code tls} carrier and OTP's
 * {@code inet_tls_dist}, the same files as the {@code certs/} scripts make, without {@code openssl}.
 */
@Command(name = "certs", mixinStandardHelpOptions = true, versionProvider = Jdist.Version.class,
        subcommands = {CertsCommand.Ca.class, CertsCommand.NodeCert.class},
        description = {"Makes a cluster CA and node certificates for mutual TLS, the same files as the certs/ scripts.",
                "  jdist certs ca pki",
                "  jdist certs node pki node --optfile pki/ssl_dist.conf"})
final class CertsCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: ca or node");
    }

    /** {@code jdist certs ca DIR}: as {@code certs/make-ca.sh DIR [DAYS] [NAME]}. */
    @Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = Jdist.Version.class,
            description = "Makes DIR/ca.pem (every node trusts it) and DIR/ca.key (its private key, readable by its"
                    + " owner only; keep it off the nodes), as certs/make-ca.sh does.")
    static final class Ca implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "Where to write the CA; created if missing.")
        Path dir;

        @Option(names = "--days", paramLabel = "DAYS", defaultValue = "365",
                description = "How long the CA is valid (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "jdist cluster CA",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws IOException {
            Path pem = dir.resolve("ca.pem");
            Path key = dir.resolve("ca.key");
            Files.createDirectories(dir);
            refuseToOverwrite(pem, key);
            NodeCertificate ca = NodeCertificate.builder().commonName(name).authority().validity(validity(days)).build();
            ca.writeTo(pem, key);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + pem + " (give it to every node) and " + key + " (keep it secret, off the nodes)");
            out.flush();
            return 0;
        }
    }

    /** {@code jdist certs node CA_DIR NAME}: as {@code certs/make-node-cert.sh CA_DIR OUT_DIR NAME DAYS SAN...}. */
    @Command(name = "node", mixinStandardHelpOptions = true, versionProvider = Jdist.Version.class,
            description = {"Makes OUT/NAME.pem, a node certificate signed by the CA in CA_DIR, and OUT/NAME.key, its"
                    + " private key (readable by its owner only), as certs/make-node-cert.sh does. The certificate"
                    + " names the hosts of the node names it is for (a@db1: db1; a@10.0.0.5: 10.0.0.5)."})
    static final class NodeCert implements Callable<Integer> {

        private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
        private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
        private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CA_DIR", description = "The directory holding ca.pem and ca.key.")
        Path caDir;

        @Parameters(index = "1", paramLabel = "NAME", description = "The files' name, and the certificate's common name.")
        String name;

        @Option(names = "--out", paramLabel = "OUT", description = "Where to write the files (default: CA_DIR).")
        Path out;

        @Option(names = "--days", paramLabel = "DAYS", defaultValue = "90",
                description = "How long the certificate is valid (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--host", paramLabel = "HOST",
                description = {"A host the node names use: a DNS name or an IP address, or DNS:name or IP:address;"
                        + " repeatable (default: this host's short name, as erl -sname uses)."})
        List<String> hosts = new ArrayList<>();

        @Option(names = "--optfile", paramLabel = "FILE", description = "Also write an Erlang ssl_dist_optfile"
                + " using these files, for erl -ssl_dist_optfile FILE and jdist -Ddist.tls.optFile=FILE.")
        Path optFile;

        @Override
        public Integer call() throws IOException {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("expected NAME to be a file name such as db1 but was '" + name + "'");
            }
            List<String> sans = new ArrayList<>();
            NodeCertificate.Builder builder = NodeCertificate.builder().commonName(name).validity(validity(days));
            for (String host : hosts.isEmpty() ? List.of(LocalHost.shortName()) : hosts) {
                sans.add(addHost(builder, host));
            }
            NodeCertificate ca = readCa();
            Path dir = out != null ? out : caDir;
            Path pem = dir.resolve(name + ".pem");
            Path key = dir.resolve(name + ".key");
            Files.createDirectories(dir);
            refuseToOverwrite(pem, key);
            builder.signedBy(ca).build().writeTo(pem, key);
            PrintWriter printer = spec.commandLine().getOut();
            printer.println("wrote " + pem + " and " + key + " (" + String.join(", ", sans) + ")");
            if (optFile != null) {
                ErlangOptFile.write(optFile, pem, key, caDir.resolve("ca.pem"));
                printer.println("wrote " + optFile + ": erl -proto_dist inet_tls -ssl_dist_optfile " + optFile
                        + "; jdist node --carrier tls -Ddist.tls.optFile=" + optFile);
            }
            printer.flush();
            return 0;
        }

        /** Adds {@code host} as a subject alternative name and returns it as the script writes it. */
        private static String addHost(NodeCertificate.Builder builder, String host) {
            String value = host.replaceFirst("^(?i)(DNS|IP):", "");
            boolean ip = host.regionMatches(true, 0, "IP:", 0, 3)
                    || !host.regionMatches(true, 0, "DNS:", 0, 4) && isIpAddress(value);
            if (ip) {
                if (!isIpAddress(value)) {
                    throw new IllegalArgumentException("expected an IP address after IP: but was '" + value + "'");
                }
                builder.ipAddress(value);
                return "IP:" + value;
            }
            if (!DNS_NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("expected --host to be a host name such as db1.example.com or an"
                        + " IP address but was '" + host + "'");
            }
            builder.dnsName(value);
            return "DNS:" + value;
        }

        private static boolean isIpAddress(String text) {
            if (IPV4.matcher(text).matches()) {
                for (String part : text.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        return false;
                    }
                }
                return true;
            }
            return IPV6.matcher(text).matches();
        }

        private NodeCertificate readCa() throws IOException {
            Path pem = caDir.resolve("ca.pem");
            Path key = caDir.resolve("ca.key");
            for (Path file : List.of(pem, key)) {
                if (!Files.isRegularFile(file)) {
                    throw new IOException("no CA in " + caDir + ": " + file + " does not exist; make one with: jdist"
                            + " certs ca " + caDir);
                }
            }
            NodeCertificate ca = NodeCertificate.read(pem, key);
            if (ca.certificate().getBasicConstraints() < 0) {
                throw new IOException(pem + " is not a CA certificate (it lacks basicConstraints CA:TRUE)");
            }
            try {
                ca.certificate().checkValidity();
            } catch (CertificateExpiredException e) {
                throw new IOException("the CA in " + pem + " expired on " + ca.certificate().getNotAfter().toInstant(), e);
            } catch (CertificateNotYetValidException e) {
                throw new IOException("the CA in " + pem + " is not valid before "
                        + ca.certificate().getNotBefore().toInstant(), e);
            }
            return ca;
        }
    }

    private static Duration validity(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("expected --days to be at least 1 but was " + days);
        }
        return Duration.ofDays(days);
    }

    private static void refuseToOverwrite(Path... files) {
        for (Path file : files) {
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " exists already; refusing to overwrite");
            }
        }
    }
}
