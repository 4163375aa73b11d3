package io.jdist.internal.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The Erlang cookie file, read and created as {@code erl} does: {@code ~/.erlang.cookie}, created
 * when missing with 20 random upper-case letters and mode 0400, and refused when anyone but its
 * owner may read it. Never puts a cookie in a message.
 */
public final class Cookies {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Cookies() {
    }

    /** The default cookie file: {@code $HOME/.erlang.cookie}. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".erlang.cookie");
    }

    /**
     * The cookie in {@code file}, creating the file as {@code erl} does when it is missing.
     *
     * @throws IOException if the file cannot be read or made, is open to group or others, or holds
     *     no valid cookie
     */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            create(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("cookie file " + file + " is not a regular file");
        }
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : permissions) {
                if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE
                        && p != PosixFilePermission.OWNER_EXECUTE) {
                    throw new IOException("cookie file " + file + " must be accessible by owner only but is "
                            + PosixFilePermissions.toString(permissions) + "; run chmod 400 " + file);
                }
            }
        }
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
    }

    /** The cookie in a file's text, with {@code erl}'s rules: printable characters, then only whitespace. */
    static String parse(String text, String source) throws IOException {
        int end = 0;
        while (end < text.length() && text.charAt(end) >= 0x20 && text.charAt(end) <= 0x7E) {
            end++;
        }
        for (int i = end; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r' && c != ' ') {
                throw new IOException("bad characters in cookie file " + source);
            }
        }
        String cookie = text.substring(0, end).strip();
        if (cookie.isEmpty()) {
            throw new IOException("cookie file " + source + " holds no cookie");
        }
        return cookie;
    }

    /** Checks a cookie given directly: printable ASCII, not empty. */
    public static String check(String cookie) {
        if (cookie.isEmpty()) {
            throw new IllegalArgumentException("the cookie is empty");
        }
        for (int i = 0; i < cookie.length(); i++) {
            char c = cookie.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("the cookie must be printable ASCII; it has a character "
                        + (int) c + " at index " + i);
            }
        }
        return cookie;
    }

    private static void create(Path file) throws IOException {
        StringBuilder cookie = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            cookie.append((char) ('A' + RANDOM.nextInt(26)));
        }
        try {
            Path made = Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            Files.writeString(made, cookie, StandardCharsets.ISO_8859_1);
            Files.setPosixFilePermissions(made, Set.of(PosixFilePermission.OWNER_READ));
        } catch (FileAlreadyExistsException e) {
            // Another process made it first; read theirs.
        } catch (UnsupportedOperationException e) {
            Files.writeString(file, cookie, StandardCharsets.ISO_8859_1);
        }
    }
}
