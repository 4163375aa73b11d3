package io.jdist.transport.tls;

import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.TermParseException;
import io.jdist.term.TermParser;
import io.jdist.term.Tuple;
import io.netty.handler.ssl.CipherSuiteConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an Erlang {@code ssl_dist_optfile}, the file given to {@code erl -ssl_dist_optfile}: one
 * term, {@code [{server, Options}, {client, Options}]}, ended by a dot. Relative file names are
 * relative to the working directory, as for {@code erl}.
 */
final class OptFile {

    /** Options that set something in jdist's TLS context. */
    static final Set<String> APPLIED = Set.of("certfile", "keyfile", "password", "cacertfile", "verify",
            "fail_if_no_peer_cert", "versions", "ciphers", "depth", "server_name_indication");
    /**
     * Options accepted without effect, because jdist already behaves so: it never renegotiates
     * insecurely, its providers cache sessions themselves, and it has no Erlang processes to
     * hibernate or Erlang logger to configure.
     */
    static final Set<String> WITHOUT_EFFECT = Set.of("secure_renegotiate", "reuse_sessions", "hibernate_after",
            "log_level", "log_alert", "honor_cipher_order");

    private OptFile() {
    }

    /**
     * Applies the file's options to {@code server} and {@code client}, leaving the options it does
     * not mention as they are.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it, including every
     *     unsupported option by name
     */
    static void read(Path file, RoleOptions server, RoleOptions client) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tls optFile " + file + ": " + PemFiles.why(e), e);
        }
        Term term;
        try {
            term = TermParser.parse(text);
        } catch (TermParseException e) {
            throw new IllegalArgumentException("tls optFile " + file + " is not an Erlang term: " + e.getMessage(), e);
        }
        if (!(term instanceof ErlList roles) || !roles.isProper()) {
            throw new IllegalArgumentException("expected tls optFile " + file
                    + " to hold [{server, [...]}, {client, [...]}] but it holds " + term);
        }
        List<String> problems = new ArrayList<>();
        for (Term entry : roles.elements()) {
            if (entry instanceof Tuple t && t.arity() == 2 && t.get(0) instanceof Atom role
                    && (role.name().equals("server") || role.name().equals("client"))
                    && t.get(1) instanceof ErlList options && options.isProper()) {
                apply(file, options, role.name().equals("server") ? server : client, problems);
            } else {
                problems.add("expected {server, [...]} or {client, [...]} but found " + entry);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("tls optFile " + file + ": " + String.join("; ", problems));
        }
    }

    private static void apply(Path file, ErlList options, RoleOptions target, List<String> problems) {
        Set<String> unsupported = new TreeSet<>();
        for (Term option : options.elements()) {
            if (!(option instanceof Tuple t) || t.arity() != 2 || !(t.get(0) instanceof Atom key)) {
                problems.add("expected {Option, Value} in the " + target.role + " options but found " + option);
                continue;
            }
            String name = key.name();
            Term value = t.get(1);
            try {
                if (!applyOne(file, name, value, target)) {
                    unsupported.add(name);
                }
            } catch (IllegalArgumentException e) {
                problems.add(target.role + " option " + name + ": " + e.getMessage());
            }
        }
        if (!unsupported.isEmpty()) {
            problems.add("unsupported " + target.role + " options " + unsupported + "; jdist reads "
                    + new TreeSet<>(APPLIED) + " and accepts without effect " + new TreeSet<>(WITHOUT_EFFECT));
        }
    }

    /** Applies one option; {@code false} if jdist does not support it. */
    private static boolean applyOne(Path file, String name, Term value, RoleOptions target) {
        switch (name) {
            case "certfile" -> target.certFile = Path.of(string(value));
            case "keyfile" -> target.keyFile = Path.of(string(value));
            case "password" -> target.password = KeyPassword.optFile(file, string(value));
            case "cacertfile" -> target.caFile = Path.of(string(value));
            case "verify" -> target.verifyPeer = switch (atom(value)) {
                case "verify_peer" -> true;
                case "verify_none" -> false;
                default -> throw new IllegalArgumentException("expected verify_peer or verify_none but was " + value);
            };
            case "fail_if_no_peer_cert" -> {
                if (!target.isServer()) {
                    return false;
                }
                target.failIfNoPeerCert = bool(value);
            }
            case "versions" -> target.protocols = versions(value);
            case "ciphers" -> target.ciphers = ciphers(value);
            case "depth" -> {
                if (!(value instanceof Int i) || i.value() < 0 || i.value() > 100) {
                    throw new IllegalArgumentException("expected an integer from 0 to 100 but was " + value);
                }
                target.depth = (int) i.value();
            }
            case "server_name_indication" -> {
                if (target.isServer()) {
                    return false;
                }
                target.serverName = value instanceof Atom a && a.name().equals("disable") ? "" : string(value);
            }
            default -> {
                return WITHOUT_EFFECT.contains(name);
            }
        }
        return true;
    }

    private static String string(Term value) {
        if (value instanceof ErlList list && list.asString().isPresent()) {
            return list.asString().get();
        }
        if (value instanceof Binary b) {
            return b.utf8();
        }
        throw new IllegalArgumentException("expected a string but was " + value);
    }

    private static String atom(Term value) {
        if (value instanceof Atom a) {
            return a.name();
        }
        throw new IllegalArgumentException("expected an atom but was " + value);
    }

    private static boolean bool(Term value) {
        return switch (atom(value)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false but was " + value);
        };
    }

    private static List<String> versions(Term value) {
        if (!(value instanceof ErlList list) || !list.isProper() || list.isEmpty()) {
            throw new IllegalArgumentException("expected a list such as ['tlsv1.3', 'tlsv1.2'] but was " + value);
        }
        List<String> protocols = new ArrayList<>();
        for (Term v : list.elements()) {
            protocols.add(switch (atom(v)) {
                case "tlsv1.3" -> "TLSv1.3";
                case "tlsv1.2" -> "TLSv1.2";
                default -> throw new IllegalArgumentException("expected 'tlsv1.3' or 'tlsv1.2' but was " + v
                        + " (jdist speaks no older TLS)");
            });
        }
        return List.copyOf(protocols);
    }

    /** OpenSSL names ({@code "ECDHE-ECDSA-AES256-GCM-SHA384"}), as a list or one string split by colons. */
    private static List<String> ciphers(Term value) {
        List<String> names = new ArrayList<>();
        if (value instanceof ErlList list && list.asString().isPresent() && !list.isEmpty()) {
            names.addAll(List.of(list.asString().get().split(":")));
        } else if (value instanceof ErlList list && list.isProper()) {
            for (Term c : list.elements()) {
                names.add(string(c));
            }
        } else {
            throw new IllegalArgumentException("expected a list of cipher suite names but was " + value);
        }
        return names.stream().map(String::strip).filter(n -> !n.isEmpty()).map(OptFile::javaCipherName).toList();
    }

    /** The IANA name Java uses for a suite given by its OpenSSL name (or already by its IANA name). */
    static String javaCipherName(String name) {
        if (name.startsWith("TLS_")) {
            return name;
        }
        String java = CipherSuiteConverter.toJava(name, "TLS");
        if (java == null) {
            throw new IllegalArgumentException("unknown cipher suite " + name);
        }
        return java;
    }
}
