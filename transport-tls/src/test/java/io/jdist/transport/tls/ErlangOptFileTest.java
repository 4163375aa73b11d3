package io.jdist.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Term;
import io.jdist.term.TermParser;
import io.jdist.term.Tuple;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optfile is one Erlang term with both roles' options, and file names survive any character. */
class ErlangOptFileTest {

    @Test
    void bothRolesVerifyTheirPeerWithTheFilesGivenByAbsolutePath() {
        Term file = TermParser.parse(ErlangOptFile.text(Path.of("/pki/node.pem"), Path.of("/pki/node.key"),
                Path.of("/pki/ca.pem")));

        Map<String, Map<String, Term>> roles = roles(file);
        assertEquals(List.of("server", "client"), List.copyOf(roles.keySet()));
        for (Map<String, Term> options : roles.values()) {
            assertEquals("/pki/node.pem", string(options.get("certfile")));
            assertEquals("/pki/node.key", string(options.get("keyfile")));
            assertEquals("/pki/ca.pem", string(options.get("cacertfile")));
            assertEquals(Atom.of("verify_peer"), options.get("verify"));
            assertEquals(ErlList.of(Atom.of("tlsv1.3"), Atom.of("tlsv1.2")), options.get("versions"));
        }
        assertEquals(Atom.of("true"), roles.get("server").get("fail_if_no_peer_cert"));
    }

    @Test
    void quotesAndBackslashesInFileNamesAreEscaped() {
        Path odd = Path.of("/tmp/a \"quoted\" dir\\x/node.pem");

        Term file = TermParser.parse(ErlangOptFile.text(odd, odd, odd));

        assertEquals(odd.toString(), string(roles(file).get("client").get("certfile")));
    }

    private static Map<String, Map<String, Term>> roles(Term file) {
        Map<String, Map<String, Term>> roles = new LinkedHashMap<>();
        for (Term role : ((ErlList) file).elements()) {
            Tuple t = (Tuple) role;
            Map<String, Term> options = new LinkedHashMap<>();
            for (Term option : ((ErlList) t.get(1)).elements()) {
                options.put(((Atom) ((Tuple) option).get(0)).name(), ((Tuple) option).get(1));
            }
            roles.put(((Atom) t.get(0)).name(), options);
        }
        return roles;
    }

    private static String string(Term charlist) {
        return ((ErlList) charlist).asString().orElseThrow();
    }
}
