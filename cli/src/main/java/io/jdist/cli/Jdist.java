package io.jdist.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code jdist} command: its subcommands are the node shell, the demo, certificates and EPMD.
 *
 * <p>A failure is one line on stderr starting with {@code error:}, and exit status 1; {@code --verbose}
 * adds the stack trace. A command line that does not parse gives the usage and exit status 2.
 */
@Command(
        name = "jdist",
        mixinStandardHelpOptions = true,
        versionProvider = Jdist.Version.class,
        description = "A JVM node for Erlang/OTP and Elixir clusters.",
        subcommands = {NodeCommand.class, DemoCommand.class, CertsCommand.class, EpmdCommand.class})
public final class Jdist implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status; the tests call this in-process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, for callers that redirect its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Jdist()).setExecutionExceptionHandler(Jdist::reportFailure);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int reportFailure(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(errorLine(failure));
        if (verbose(parsed)) {
            failure.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The one line a person sees for a failure: {@code error: } and the most specific message there is. */
    static String errorLine(Throwable failure) {
        Throwable shown = failure;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return "error: " + message.lines().findFirst().orElse("");
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Jdist.class.getPackage().getImplementationVersion();
            return new String[] {"jdist " + (version == null ? "(development build)" : version)};
        }
    }
}
