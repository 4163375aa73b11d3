package io.jdist.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellSyntaxTest {

    private static final Pid SELF = new Pid(Atom.of("a@host"), 7, 0, 3);

    @Test
    void argumentsEndAtWhiteSpaceOutsideBracketsStringsAndQuotes() {
        assertEquals(List.of("{echo, 'e@host'}", "{hello, [1, 2]}"),
                ShellSyntax.split("  {echo, 'e@host'}   {hello, [1, 2]} ", "send", List.of("Dest", "Term")));
        assertEquals(List.of("'a b'", "\"x y\"", "<< 1, 2 >>", "[ $ , $\\s]"),
                ShellSyntax.split("'a b' \"x y\" << 1, 2 >> [ $ , $\\s]", "cmd", List.of("A", "B", "C", "D")));
        assertEquals(List.of("node@h", "lists", "reverse", "[[1, 2, 3]]"),
                ShellSyntax.split("node@h lists reverse [[1, 2, 3]]", "rpc", List.of("Node", "M", "F", "Args")));
    }

    @Test
    void theLastArgumentIsTheRestOfTheLine() {
        assertEquals(List.of("x", "fun lists:map/2"), ShellSyntax.split("x fun lists:map/2", "send", List.of("D", "T")));
    }

    @Test
    void aMissingArgumentIsNamed() {
        ShellException e = assertThrows(ShellException.class,
                () -> ShellSyntax.split("node@h lists", "rpc", List.of("Node", "M", "F", "Args")));
        assertEquals("rpc needs Node M F Args: F is missing", e.getMessage());
    }

    @Test
    void aCommentEndsTheLineUnlessQuoted() {
        assertEquals("send x {a, \"100%\", '%', $%} ", ShellSyntax.withoutComment("send x {a, \"100%\", '%', $%} % why"));
        assertEquals("", ShellSyntax.withoutComment("% all comment"));
    }

    @Test
    void selfCallsBecomeTheShellsPid() {
        assertEquals("{" + SELF + ", " + SELF + "}", ShellSyntax.withSelf("{self(), self ( )}", SELF));
        assertEquals("[" + SELF + "]", ShellSyntax.withSelf("[self()]", SELF));
    }

    @Test
    void selfInsideStringsQuotedAtomsCommentsAndOtherNamesStaysAsWritten() {
        for (String text : List.of("\"self()\"", "'self()'", "{a, \"\\\"self()\"}", "myself()", "self_()",
                "self", "[self, $\", \"self()\"]", "x % self()", "#Pid<self.1.2.3>")) {
            assertEquals(text, ShellSyntax.withSelf(text, SELF), text);
        }
        assertEquals("[$\", " + SELF + "]", ShellSyntax.withSelf("[$\", self()]", SELF));
    }
}
