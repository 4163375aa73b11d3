package io.jdist.cli;

import io.jdist.internal.epmd.EpmdClient;
import io.jdist.internal.epmd.EpmdNames;
import io.jdist.internal.epmd.EpmdServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jdist epmd}: the embedded EPMD in the foreground, in place of the {@code epmd} daemon, or
 * with {@code --names} the nodes registered at an EPMD, printed as {@code epmd -names} prints them.
 */
@Command(name = "epmd", mixinStandardHelpOptions = true, versionProvider = Jdist.Version.class,
        description = {
        "Runs an EPMD in the foreground until interrupted, printing each registration, or with --names lists the"
                + " nodes registered at the EPMD on this host, as epmd -names does.",
        "Erlang nodes find it through ERL_EPMD_PORT=PORT erl -start_epmd false ...; Java nodes through"
                + " -Ddist.epmdPort=PORT."})
final class EpmdCommand implements Callable<Integer> {

    /** The logger the embedded EPMD reports registrations on. */
    private static final String EPMD_LOGGER = "io.jdist.epmd";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The EPMD port (default: ERL_EPMD_PORT if set, else 4369).")
    Integer port;

    @Option(names = "--names", description = "List the names registered at the EPMD on this host and exit.")
    boolean names;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for other hosts'"
                    + " lookups). Registrations are accepted from this host only.")
    String bind;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int epmdPort = port != null ? checkedPort(port) : EpmdClient.defaultPort();
        return names ? listNames(epmdPort) : serve(epmdPort);
    }

    private int listNames(int epmdPort) throws IOException {
        EpmdClient client = EpmdClient.builder().host("127.0.0.1").port(epmdPort)
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(5)).build();
        EpmdNames answer;
        try {
            answer = client.names();
        } catch (ConnectException e) {
            throw new IOException("no epmd answers on 127.0.0.1:" + epmdPort + " (start one with: jdist epmd"
                    + (epmdPort == EpmdClient.DEFAULT_PORT ? "" : " --port " + epmdPort) + ")", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("epmd: up and running on port " + answer.epmdPort() + " with data:");
        for (EpmdNames.Entry entry : answer.nodes()) {
            out.println("name " + entry.name() + " at port " + entry.port());
        }
        out.flush();
        return 0;
    }

    private int serve(int epmdPort) throws IOException, InterruptedException {
        InetAddress address = InetAddress.getByName(bind);
        PrintWriter out = spec.commandLine().getOut();
        RegistrationPrinter printer = new RegistrationPrinter(out);
        EpmdServer server;
        try {
            server = EpmdServer.builder().bindAddress(address).port(epmdPort).start();
        } catch (BindException e) {
            printer.close();
            if (!String.valueOf(e.getMessage()).contains("in use")) {
                throw e; // "embedded epmd could not listen on 127.0.0.1:80: Permission denied"
            }
            throw new IOException(inUse(address, epmdPort), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "jdist-epmd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("jdist epmd: listening on " + server.address() + "; interrupt (Ctrl-C) to stop");
        out.flush();
        printer.start();
        try {
            stopped.await();
        } finally {
            server.close();
            printer.close();
        }
        return 0;
    }

    /** The line for a port that is taken: by another EPMD, or by something else. */
    private static String inUse(InetAddress address, int epmdPort) {
        String where = address.getHostAddress() + ":" + epmdPort;
        try {
            EpmdClient.builder().host(address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress())
                    .port(epmdPort).connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
                    .build().names();
            return "address in use: an epmd already listens on " + where + " (jdist epmd --names"
                    + (epmdPort == EpmdClient.DEFAULT_PORT ? "" : " --port " + epmdPort) + " lists its nodes);"
                    + " choose another port with --port";
        } catch (IOException e) {
            return "address in use: something else listens on " + where + "; choose another port with --port";
        }
    }

    /**
     * Prints what the EPMD logs (registrations, refusals) on {@code out}, one line each, once {@link
     * #start()} is called: the server's own line on starting is replaced by the command's.
     */
    private static final class RegistrationPrinter extends Handler {

        private final PrintWriter out;
        private final SimpleFormatter formatter = new SimpleFormatter();
        /** Strong reference: java.util.logging keeps loggers weakly, and with them their settings. */
        private final Logger logger = Logger.getLogger(EPMD_LOGGER);
        private volatile boolean started;

        RegistrationPrinter(PrintWriter out) {
            this.out = out;
            logger.setUseParentHandlers(false);
            logger.setLevel(Level.INFO);
            logger.addHandler(this);
        }

        void start() {
            started = true;
        }

        @Override
        public void publish(LogRecord record) {
            if (started && isLoggable(record)) {
                out.println("jdist epmd: " + formatter.formatMessage(record));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        /** Gives the logger back its usual handlers. */
        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(true);
            logger.setLevel(null);
        }
    }

    private static int checkedPort(int port) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("expected --port to be in 1..65535 but was " + port);
        }
        return port;
    }
}
