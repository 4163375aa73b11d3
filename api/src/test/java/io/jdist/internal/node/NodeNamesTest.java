package io.jdist.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.term.Atom;
import io.jdist.testing.ErlangNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeNamesTest {

    @Test
    void aShortNameAloneGetsTheSameHostAsErlSname(@TempDir Path dir) throws Exception {
        String alive = "names_" + Long.toHexString(System.nanoTime());
        try (EmbeddedEpmd.Lease epmd = EmbeddedEpmd.acquire(0);
                ErlangNode erl = ErlangNode.builder(alive).cookie("names-test").epmdPort(epmd.port())
                        .workingDir(dir).start()) {
            assertEquals(erl.eval("node()"), Atom.of(NodeNames.shortName(alive)));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "a@host, a@host",
        "my_node-1@h, my_node-1@h",
    })
    void shortNamesKeepTheirHost(String given, String expected) {
        assertEquals(expected, NodeNames.shortName(given));
    }

    @ParameterizedTest
    @CsvSource({
        "a@host.example.com, a@host.example.com",
        "a@127.0.0.1, a@127.0.0.1",
        "a@::1, a@::1",
    })
    void longNamesNeedADotOrAnAddress(String given, String expected) {
        assertEquals(expected, NodeNames.longName(given));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a@host.example.com | short node name 'a@host.example.com' has a dot in its host part; use a long name (name) for hosts with domains",
        "a b@h              | node name 'a b@h' must start with letters, digits, '_' or '-' before any '@'",
        "@h                 | node name '@h' must start with letters, digits, '_' or '-' before any '@'",
        "a@b@c              | node name 'a@b@c' has more than one '@'",
        "a@                 | node name 'a@' has an empty host part",
    })
    void badShortNamesAreRefusedSayingWhy(String given, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeNames.shortName(given));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aLongNameWithoutDomainIsRefusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeNames.longName("a@host"));
        assertEquals("long node name 'a@host' needs a host part with a dot or an IP address, as in a@127.0.0.1",
                e.getMessage());
    }

    @Test
    void nameLongerThan255CharactersIsRefused() {
        String name = "a".repeat(250) + "@host1";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeNames.shortName(name));
        assertEquals("node name '" + name + "' is longer than 255 characters", e.getMessage());
    }

    @Test
    void partsOfAFullName() {
        assertEquals("a", NodeNames.aliveOf("a@h.x"));
        assertEquals("h.x", NodeNames.hostOf("a@h.x"));
        assertEquals(true, NodeNames.isFullName("a@h"));
        assertEquals(false, NodeNames.isFullName("a@"));
        assertEquals(false, NodeNames.isFullName("a"));
    }
}
