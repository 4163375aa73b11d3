/** The {@code jdist} command: a node shell, the demo, certificates and an EPMD. */
module io.jdist.cli {
    requires io.jdist;
    requires io.jdist.transport.tls;
    requires info.picocli;
    requires org.jline;
    requires java.logging;

    // picocli reads the command classes' annotations and sets their fields reflectively.
    opens io.jdist.cli to info.picocli;
}
