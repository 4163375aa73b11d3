package io.jdist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jdist} command: its subcommands are the node shell, the demo, certificates and EPMD. */
@Command(
        name = "jdist",
        mixinStandardHelpOptions = true,
        versionProvider = Jdist.Version.class,
        description = "A JVM node for Erlang/OTP and Elixir clusters.",
        subcommands = {NodeCommand.class, DemoCommand.class, CertsCommand.class, EpmdCommand.class})
public final class Jdist implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status; the tests call this in-process. */
    public static int run(String... args) {
        return new CommandLine(new Jdist()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Jdist.class.getPackage().getImplementationVersion();
            return new String[] {"jdist " + (version == null ? "(development build)" : version)};
        }
    }
}
