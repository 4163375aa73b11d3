package io.jdist.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CookiesTest {

    @Test
    void aMissingCookieFileIsCreatedAsErlCreatesIt(@TempDir Path home) throws IOException {
        Path file = home.resolve(".erlang.cookie");

        String cookie = Cookies.readOrCreate(file);

        assertTrue(cookie.matches("[A-Z]{20}"), cookie);
        assertEquals(cookie, Files.readString(file, StandardCharsets.ISO_8859_1));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(cookie, Cookies.readOrCreate(file), "read back unchanged");
    }

    @Test
    void aCookieFileOpenToGroupOrOthersIsRefusedSayingSo(@TempDir Path home) throws IOException {
        Path file = home.resolve(".erlang.cookie");
        Files.writeString(file, "SECRETCOOKIE");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        IOException e = assertThrows(IOException.class, () -> Cookies.readOrCreate(file));

        assertEquals("cookie file " + file + " must be accessible by owner only but is rw-r--r--; run chmod 400 "
                + file, e.getMessage());
        assertTrue(!e.getMessage().contains("SECRETCOOKIE"));
    }

    @Test
    void trailingNewlinesAreIgnoredAsErlIgnoresThem() throws IOException {
        assertEquals("ABC", Cookies.parse("ABC\n", "f"));
        assertEquals("ABC", Cookies.parse("ABC\r\n  \n", "f"));
    }

    @Test
    void unreadableCookiesAreRefused() {
        IOException empty = assertThrows(IOException.class, () -> Cookies.parse("\n", "f"));
        assertEquals("cookie file f holds no cookie", empty.getMessage());
        IOException binary = assertThrows(IOException.class, () -> Cookies.parse("ABC\u0000DEF", "f"));
        assertEquals("bad characters in cookie file f", binary.getMessage());
    }

    @Test
    void aGivenCookieMustBePrintableAscii() {
        assertEquals("ok-cookie", Cookies.check("ok-cookie"));
        assertEquals("the cookie is empty", assertThrows(IllegalArgumentException.class, () -> Cookies.check(""))
                .getMessage());
        assertEquals("the cookie must be printable ASCII; it has a character 233 at index 1",
                assertThrows(IllegalArgumentException.class, () -> Cookies.check("a\u00e9")).getMessage());
    }
}
