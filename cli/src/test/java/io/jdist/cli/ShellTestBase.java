package io.jdist.cli;

import io.jdist.term.Atom;
import io.jdist.testing.NodeTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * What the tests of {@code jdist node} share: beside what {@link NodeTestBase} gives (an EPMD of the
 * class's own, temporary directories, unique names, cleanup), the command line of a shell for this
 * class's EPMD and cookie, and the shells started, each stopped after its test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ShellTestBase extends NodeTestBase {

    /** {@code prefix} with a random suffix, unique among the nodes on this machine. */
    static String uniqueName(String prefix) {
        return prefix + "_" + suffix();
    }

    /**
     * The arguments of {@code jdist node} for a node of this class, before {@code more}; the class's
     * cookie unless {@code more} gives one.
     */
    protected List<String> nodeArguments(String sname, String... more) {
        List<String> arguments = new ArrayList<>(List.of("node", "--sname", sname,
                "-Ddist.epmdPort=" + epmdPort(), "-Ddist.bindAddress=" + hostAddress().getHostAddress()));
        if (!List.of(more).contains("--cookie")) {
            arguments.addAll(List.of("--cookie", cookie));
        }
        arguments.addAll(List.of(more));
        return arguments;
    }

    /** Starts {@code jdist node --sname sname} in a child JVM, stopped after the test. */
    protected JdistProcess startShell(String sname, String... more) {
        return closeAfterTest(JdistProcess.start(java.util.Map.of(), testDir(), nodeArguments(sname, more)));
    }

    /** The full name of the node {@code sname} on this host, as {@code -sname} makes it. */
    static String fullName(String sname) {
        return sname + "@" + shortHostName();
    }

    /** This host's name up to the first dot, the host part of short node names. */
    static String shortHostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host.indexOf('.') > 0 ? host.substring(0, host.indexOf('.')) : host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this host's name, which -sname needs", e);
        }
    }

    /** {@code node} as the shell prints it: an atom, quoted when Erlang needs quotes. */
    static String atom(String node) {
        return Atom.of(node).toString();
    }
}
