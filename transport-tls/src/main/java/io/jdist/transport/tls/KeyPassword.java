package io.jdist.transport.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the password of an encrypted private key comes from: a file, an environment variable, or
 * an {@code ssl_dist_optfile}'s {@code password} option. Never a system property, which every user
 * of the machine can read from the process list. {@link #toString()} never shows a password.
 */
record KeyPassword(Kind kind, String source, char[] literal) {

    enum Kind { NONE, FILE, ENV, OPTFILE }

    static final KeyPassword NONE = new KeyPassword(Kind.NONE, null, null);

    static KeyPassword file(Path file) {
        return new KeyPassword(Kind.FILE, file.toString(), null);
    }

    static KeyPassword env(String variable) {
        return new KeyPassword(Kind.ENV, variable, null);
    }

    static KeyPassword optFile(Path optFile, String password) {
        return new KeyPassword(Kind.OPTFILE, optFile.toString(), password.toCharArray());
    }

    /** The password file, if the password is read from one. */
    Path file() {
        return kind == Kind.FILE ? Path.of(source) : null;
    }

    /**
     * Reads the password now, so that a rotated password file or a changed variable is seen.
     *
     * @return the password, or {@code null} when none is configured
     * @throws IOException if the file or variable cannot be read, naming it (never the password)
     */
    char[] read() throws IOException {
        return switch (kind) {
            case NONE -> null;
            case OPTFILE -> literal.clone();
            case ENV -> {
                String value = System.getenv(source);
                if (value == null) {
                    throw new IOException("the key password environment variable " + source + " is not set");
                }
                yield value.toCharArray();
            }
            case FILE -> {
                String text;
                try {
                    text = Files.readString(Path.of(source), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IOException("cannot read the key password file " + source + ": " + PemFiles.why(e), e);
                }
                // One line, as echo writes it: the trailing newline is not part of the password.
                yield text.strip().toCharArray();
            }
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "no key password";
            case FILE -> "key password from file " + source;
            case ENV -> "key password from environment variable " + source;
            case OPTFILE -> "key password from " + source;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPassword p && p.kind == kind && java.util.Objects.equals(p.source, source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, source);
    }
}
