package io.jdist.cli;

import io.jdist.Node;
import io.jdist.NodeConfig;
import io.jdist.cli.shell.ConsoleLog;
import io.jdist.cli.shell.LineFrontEnd;
import io.jdist.cli.shell.Shell;
import io.jdist.cli.shell.TerminalFrontEnd;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jdist node}: starts a node and a shell on it, the Java counterpart of {@code iex --sname a
 * --cookie C}. In a terminal the shell edits lines, keeps history and completes; otherwise it reads
 * one command per line and prints one result line each (see {@code cli/README.md}).
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts a node and a shell on it: the Java counterpart of iex --sname a --cookie C.",
                "When stdin is not a terminal, reads one command per line and prints one result line each."})
final class NodeCommand implements Callable<Integer> {

    @ParentCommand
    Jdist parent;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sname", paramLabel = "NAME", description = "Short node name, as erl -sname: a or a@host.")
    String sname;

    @Option(names = "--name", paramLabel = "NAME", description = "Long node name, as erl -name: a@host.domain or a@10.0.0.1.")
    String name;

    @Option(names = "--cookie", paramLabel = "COOKIE",
            description = "The cookie (default: -Ddist.cookie, else ~/.erlang.cookie, created as erl creates it).")
    String cookie;

    @Option(names = "--carrier", paramLabel = "CARRIER", description = "tcp (default), tls or unix.")
    String carrier;

    @Option(names = "-D", paramLabel = "dist.KEY=VALUE", hideParamSyntax = true, mapFallbackValue = "",
            description = "A node setting, as the dist.* system properties: -Ddist.tls.certFile=node.pem.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "5000",
            description = "How long call and rpc wait for an answer, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--history", paramLabel = "FILE",
            description = "The terminal's history file (default ~/.jdist_history).")
    Path historyFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean verbose = verbose();
        Properties properties = properties();
        NodeConfig config = config(properties);
        boolean interactive = TerminalFrontEnd.isInteractive();
        ConsoleLog.install(System.err::println, verbose);
        try (Node node = Node.start(config)) {
            Shell shell = new Shell(node, Duration.ofMillis(timeoutMillis));
            if (verbose) {
                shell.onFailure(failure -> failure.printStackTrace());
            }
            if (interactive) {
                Path history = historyFile != null ? historyFile
                        : Path.of(System.getProperty("user.home"), ".jdist_history");
                new TerminalFrontEnd(shell, history, usesEpmd(config, properties) ? config.epmdPort() : 0, verbose).run();
            } else {
                // UTF-8 both ways, whatever the platform's default: scripts exchange Erlang terms.
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
                new LineFrontEnd(shell, in, out).run();
            }
            // The node closes before the shell's process ends, as when a node stops: peers that
            // monitor the shell's process, or processes by name here, see noconnection.
            node.close();
            shell.close();
        }
        return 0;
    }

    /** The system properties with the command line's {@code -D} settings over them. */
    private Properties properties() {
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (!setting.getKey().startsWith("dist.")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-D" + setting.getKey()
                        + ": the node reads dist.* settings only, such as -Ddist.epmdPort=4370"
                        + " (JVM options go in JDIST_JAVA_OPTS)");
            }
            properties.setProperty(setting.getKey(), setting.getValue());
        }
        return properties;
    }

    private NodeConfig config(Properties properties) {
        if (sname == null && name == null && properties.getProperty("dist.sname") == null
                && properties.getProperty("dist.name") == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a node needs a name: --sname NAME or --name NAME@HOST");
        }
        if (timeoutMillis < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "expected --timeout to be at least 1 ms but was " + timeoutMillis);
        }
        NodeConfig.Builder builder = NodeConfig.builder();
        if (sname != null) {
            builder.sname(sname);
        }
        if (name != null) {
            builder.name(name);
        }
        if (cookie != null) {
            builder.cookie(cookie);
        }
        if (carrier != null) {
            builder.carrier(carrier);
        }
        return builder.build(properties);
    }

    /** Whether peers are found through EPMD, whose names completion can then offer. */
    private static boolean usesEpmd(NodeConfig config, Properties properties) {
        String discovery = properties.getProperty("dist.discovery");
        // The unix carrier finds its peers in a directory of sockets, not through EPMD.
        return discovery == null ? !config.carrier().equals("unix") : discovery.equals("epmd");
    }

    private boolean verbose() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parent.verbose || (parsed != null && parsed.hasMatchedOption("--verbose"));
    }
}
