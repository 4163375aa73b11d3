package io.jdist.cli;

import io.jdist.ConnectionInfo;
import io.jdist.Mailbox;
import io.jdist.Node;
import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The seed documents' session between {@code dale} and {@code chip}, as demo steps: connect, list
 * the nodes, find chip's registered {@code my_iex}, send to it by name and hear back, disconnect,
 * send again (which connects again), monitor {@code my_iex}, and see the monitor fire with {@code
 * noconnection} when chip stops. The part that starts the nodes sets {@link #dale} and {@link
 * #chip} before these steps run.
 */
final class Walkthrough {

    /** How long a step waits for an answer before it fails. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final String chipName;
    Node dale;
    Chip chip;
    private Mailbox shell;
    private Ref monitor;

    /** @param chipName the name chip will have, for the shell lines */
    Walkthrough(String chipName) {
        this.chipName = chipName;
    }

    List<Narration.Step> steps() {
        String chipAtom = Atom.of(chipName).toString();
        String dest = "{" + Chip.MY_IEX + ", " + chipAtom + "}";
        return List.of(
                new Narration.Step("dale> net_kernel:connect_node(" + chipAtom + ").", this::connect),
                new Narration.Step("dale> nodes().", () -> expectNodes(dale.nodes(), chipName)),
                new Narration.Step(() -> chip.nodesAction(), () -> expectNodes(chip.nodes(dale), dale.name())),
                new Narration.Step(() -> chip.registerAction(), () -> chip.register(dale)),
                new Narration.Step("dale> " + dest + " ! {self(), hello_from_dale}.", () -> sendAndHearBack("hello_from_dale")),
                new Narration.Step("dale> erlang:disconnect_node(" + chipAtom + ").", this::disconnect),
                new Narration.Step("dale> " + dest + " ! {self(), hello_again}.   % sending connects again",
                        () -> sendAndHearBack("hello_again") + "   % and dale> nodes(). gives "
                                + expectNodes(dale.nodes(), chipName)),
                new Narration.Step("dale> erlang:monitor(process, " + dest + ").", this::monitor),
                new Narration.Step(() -> chip.stopAction(), this::stopChip));
    }

    private String connect() throws InterruptedException {
        shell = dale.createMailbox();
        if (!dale.connect(chip.name())) {
            throw new IllegalStateException("false: dale could not connect to " + chip.name());
        }
        return "true" + dale.connectionInfo(chip.name()).map(Walkthrough::describe).orElse("");
    }

    /** How the connection is made, as an Erlang comment: the carrier, and for TLS the peer's certificate. */
    private static String describe(ConnectionInfo info) {
        if (!info.peerCertificates().isEmpty() && info.peerCertificates().get(0) instanceof X509Certificate cert) {
            return "   % over mutual TLS; chip presented " + cert.getSubjectX500Principal().getName() + ", issued by "
                    + cert.getIssuerX500Principal().getName();
        }
        return "   % over " + info.carrier() + ", to " + info.remoteAddress();
    }

    private static String expectNodes(List<String> nodes, String expected) {
        ErlList shown = ErlList.of(nodes.stream().map(Atom::of).toList());
        if (!nodes.contains(expected)) {
            throw new IllegalStateException("expected " + Atom.of(expected) + " in the list but got " + shown);
        }
        return shown.toString();
    }

    private String sendAndHearBack(String tag) throws InterruptedException {
        Atom message = Atom.of(tag);
        shell.send(Chip.MY_IEX, chip.name(), Tuple.of(shell.self(), message));
        Term reply = shell.receive(WAIT).orElseThrow(() -> new IllegalStateException(
                "no answer from " + Chip.MY_IEX + " within " + WAIT.toSeconds() + " s"));
        Tuple expected = Tuple.of(Atom.of(chip.name()), message);
        if (!reply.equals(expected)) {
            throw new IllegalStateException("expected " + expected + " but got " + reply);
        }
        return Chip.MY_IEX + " answered " + reply;
    }

    private String disconnect() throws InterruptedException {
        if (!dale.disconnect(chip.name())) {
            throw new IllegalStateException("false: dale was not connected to " + chip.name());
        }
        awaitTrue("dale to drop " + chip.name() + " from nodes()", () -> !dale.nodes().contains(chip.name()));
        return "true   % now dale> nodes(). gives " + ErlList.of(dale.nodes().stream().map(Atom::of).toList());
    }

    private String monitor() {
        monitor = shell.monitor(Chip.MY_IEX, chip.name());
        return monitor.toString();
    }

    private String stopChip() throws Exception {
        chip.stop();
        Term down = shell.receive(WAIT).orElseThrow(() -> new IllegalStateException(
                "no 'DOWN' message within " + WAIT.toSeconds() + " s"));
        Tuple expected = Tuple.of(Atom.of("DOWN"), monitor, Atom.of("process"),
                Tuple.of(Atom.of(Chip.MY_IEX), Atom.of(chip.name())), Atom.of("noconnection"));
        if (!down.equals(expected)) {
            throw new IllegalStateException("expected " + expected + " but got " + down);
        }
        return "dale> flush().\n" + down;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("expected " + what + " within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }
}
