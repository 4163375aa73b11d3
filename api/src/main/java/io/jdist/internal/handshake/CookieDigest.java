package io.jdist.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The handshake's proof of the cookie: MD5 of the cookie's bytes followed by the challenge written
 * as an unsigned decimal number, as OTP's {@code dist_util:gen_digest/2} computes it.
 */
public final class CookieDigest {

    /** The length of a digest in bytes. */
    public static final int LENGTH = 16;

    private CookieDigest() {
    }

    /** The digest that answers {@code challenge}, an unsigned 32-bit value, with {@code cookie}. */
    public static byte[] of(String cookie, int challenge) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide MD5", e);
        }
        // Erlang cookies are atoms; their bytes on this wire are Latin-1 as OTP writes them.
        md5.update(cookie.getBytes(StandardCharsets.ISO_8859_1));
        md5.update(Integer.toUnsignedString(challenge).getBytes(StandardCharsets.US_ASCII));
        return md5.digest();
    }

    /** Whether {@code digest} answers {@code challenge} with {@code cookie}, compared in constant time. */
    public static boolean matches(byte[] digest, String cookie, int challenge) {
        return MessageDigest.isEqual(digest, of(cookie, challenge));
    }
}
