package io.jdist.cli.shell;

import io.jdist.Mailbox;
import io.jdist.NoConnectionException;
import io.jdist.Node;
import io.jdist.cli.shell.Destination.ToAlias;
import io.jdist.cli.shell.Destination.ToName;
import io.jdist.cli.shell.Destination.ToPid;
import io.jdist.term.Atom;
import io.jdist.term.ErlList;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The node shell's commands, apart from any terminal: {@link #execute} takes one line and gives the
 * one line to print, in Erlang syntax, or {@code error: } and why. The front ends ({@link
 * LineFrontEnd}, {@link TerminalFrontEnd}) read lines and print replies.
 *
 * <p>Not thread-safe: one front end runs one command at a time. Arriving messages are queued by
 * the {@link ShellProcess} meanwhile.
 */
public final class Shell implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.cli.shell");
    private static final Atom TIMEOUT = Atom.of("timeout");
    private static final Atom PONG = Atom.of("pong");
    private static final Atom PANG = Atom.of("pang");

    /** What a command printed, and whether the shell ends. */
    record Reply(String line, String display, boolean quit) {

        /** Nothing to print: the line was blank or a comment. */
        static final Reply NONE = new Reply(null, null, false);

        static Reply of(Term value) {
            return of(value.toString());
        }

        static Reply of(String line) {
            return new Reply(line, line, false);
        }

        static Reply error(String message) {
            return of("error: " + message);
        }
    }

    private final Node node;
    private final ShellProcess process;
    private final Duration callTimeout;
    private volatile Consumer<Throwable> failures = failure -> { };

    /**
     * A shell on {@code node}, whose calls and rpcs wait up to {@code callTimeout}. The shell's
     * process starts now; {@link #close()} ends it, not the node.
     */
    public Shell(Node node, Duration callTimeout) {
        this.node = Objects.requireNonNull(node, "node");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        this.process = new ShellProcess(node);
    }

    /** The node the shell runs on. */
    Node node() {
        return node;
    }

    /** The shell's process. */
    ShellProcess process() {
        return process;
    }

    /** Gives each failure that is not the user's mistake to {@code listener}, for {@code --verbose} stack traces. */
    public void onFailure(Consumer<Throwable> listener) {
        failures = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs one command line: blank lines and {@code %} comments do nothing ({@link Reply#NONE});
     * anything else gives one reply line.
     */
    Reply execute(String line) {
        String text = ShellSyntax.withoutComment(line).strip();
        if (text.isEmpty()) {
            return Reply.NONE;
        }
        int end = ShellSyntax.wordEnd(text, 0);
        String word = text.substring(0, end);
        String rest = text.substring(end).strip();
        ShellCommand command = ShellCommand.of(word).orElse(null);
        if (command == null) {
            return Reply.error("unknown command '" + abbreviate(word) + "'; the commands are "
                    + String.join(", ", ShellCommand.words()));
        }
        try {
            return run(command, rest);
        } catch (ShellException e) {
            return Reply.error(e.getMessage());
        } catch (InterruptedException e) {
            // Ctrl-C in a terminal: this command ends, the shell goes on.
            Thread.interrupted();
            return Reply.error(command.word() + " interrupted");
        } catch (RuntimeException e) {
            failures.accept(e);
            return Reply.error(message(e));
        }
    }

    private Reply run(ShellCommand command, String rest) throws InterruptedException {
        List<String> args = arguments(command, rest);
        Arguments read = new Arguments(process.self(), node.name());
        Mailbox self = process.mailbox();
        return switch (command) {
            case NODES -> Reply.of(ErlList.of(node.nodes().stream().map(Atom::of).toList()));
            case CONNECT -> Reply.of(connect(read.node(args.get(0))));
            case DISCONNECT -> Reply.of(bool(node.disconnect(read.node(args.get(0)))));
            case PING -> Reply.of(node.ping(read.node(args.get(0))) ? PONG : PANG);
            case REGISTER -> {
                self.register(read.atom(args.get(0), "Name").name());
                yield Reply.of(Atom.TRUE);
            }
            case SEND -> Reply.of(send(self, read.destination(args.get(0)), read.term(args.get(1), "Term")));
            case RECEIVE -> {
                Duration timeout = args.isEmpty() ? null : Duration.ofMillis(read.millis(args.get(0), "TimeoutMs"));
                yield Reply.of(process.receive(timeout).orElse(TIMEOUT));
            }
            case FLUSH -> Reply.of(ErlList.of(process.flush()));
            case MONITOR -> Reply.of(monitor(self, read.destination(args.get(0))));
            case DEMONITOR -> Reply.of(bool(self.demonitor(read.ref(args.get(0), "Ref"))));
            case LINK -> {
                self.link(linkTarget(read.destination(args.get(0))));
                yield Reply.of(Atom.TRUE);
            }
            case SPAWN, RPC -> {
                String target = read.node(args.get(0));
                Atom module = read.atom(args.get(1), "M");
                Atom function = read.atom(args.get(2), "F");
                List<Term> list = read.list(args.get(3), "Args");
                reach(target);
                yield Reply.of(command == ShellCommand.SPAWN
                        ? node.spawn(target, module.name(), function.name(), list)
                        : node.rpc(target, module.name(), function.name(), list, callTimeout));
            }
            case CALL -> Reply.of(call(read.destination(args.get(0)), read.term(args.get(1), "Request")));
            case SELF -> Reply.of(self.self());
            case HELP -> help(args.isEmpty() ? null : args.get(0));
            case QUIT -> new Reply("ok", "ok", true);
        };
    }

    /** The arguments of {@code command}: its required ones, or its one optional one, or none. */
    private static List<String> arguments(ShellCommand command, String rest) {
        List<String> required = command.required();
        if (!required.isEmpty()) {
            return ShellSyntax.split(rest, command.word(), required);
        }
        boolean optional = command.synopsis().startsWith("[");
        if (rest.isEmpty()) {
            return List.of();
        }
        if (!optional || ShellSyntax.wordEnd(rest, 0) < rest.length()) {
            throw new ShellException(command.usage() + " takes " + (optional ? "at most one argument" : "no arguments")
                    + " but was given " + abbreviate(rest));
        }
        return List.of(rest);
    }

    private Term connect(String target) throws InterruptedException {
        try {
            node.connectOrThrow(target);
            return Atom.TRUE;
        } catch (NoConnectionException e) {
            // Erlang's answer is a bare false; a person also needs the reason, which goes to stderr.
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return Atom.FALSE;
        }
    }

    /** Connects to {@code target} unless it is this node, so that a failure says why. */
    private void reach(String target) throws InterruptedException {
        if (!target.equals(node.name())) {
            try {
                node.connectOrThrow(target);
            } catch (NoConnectionException e) {
                throw new ShellException(e.getMessage());
            }
        }
    }

    private Term send(Mailbox self, Destination to, Term message) throws InterruptedException {
        if (to instanceof ToPid p) {
            reach(p.pid().node().name());
            self.send(p.pid(), message);
        } else if (to instanceof ToName n && n.node().equals(node.name())) {
            // Erlang's Name ! Msg fails when nothing has the name; so does this, rather than drop it.
            requireRegistered(n.name());
            self.send(n.name(), message);
        } else if (to instanceof ToName n) {
            reach(n.node());
            self.send(n.name(), n.node(), message);
        } else {
            Ref alias = ((ToAlias) to).alias();
            reach(alias.node().name());
            self.send(alias, message);
        }
        return message;
    }

    private static Term monitor(Mailbox self, Destination target) {
        if (target instanceof ToPid p) {
            return self.monitor(p.pid());
        } else if (target instanceof ToName n) {
            return self.monitor(n.name(), n.node());
        }
        throw new ShellException("monitor takes a pid, a Name or {Name, Node}, not an alias");
    }

    private Pid linkTarget(Destination target) {
        if (target instanceof ToPid p) {
            return p.pid();
        } else if (target instanceof ToName n && n.node().equals(node.name())) {
            return requireRegistered(n.name());
        }
        throw new ShellException("link takes a pid or a name registered on this node: Erlang links to pids only");
    }

    private Term call(Destination server, Term request) throws InterruptedException {
        if (server instanceof ToPid p) {
            reach(p.pid().node().name());
            return node.call(p.pid(), request, callTimeout);
        } else if (server instanceof ToName n) {
            reach(n.node());
            return node.call(n.name(), n.node(), request, callTimeout);
        }
        throw new ShellException("call takes a pid, a Name or {Name, Node}, not an alias");
    }

    private Pid requireRegistered(String name) {
        return node.whereis(name).orElseThrow(() -> new ShellException("no process is registered as "
                + Atom.of(name) + " on " + node.name()));
    }

    private static Reply help(String word) {
        if (word != null) {
            ShellCommand command = ShellCommand.of(word).orElseThrow(() -> new ShellException(
                    "unknown command '" + abbreviate(word) + "'; the commands are "
                            + String.join(", ", ShellCommand.words())));
            return Reply.of(command.usage() + ": " + command.summary());
        }
        StringBuilder table = new StringBuilder();
        for (ShellCommand command : ShellCommand.values()) {
            table.append(String.format("%-24s %s%n", command.usage(), command.summary()));
        }
        table.append("Terms are written in Erlang syntax; self() is the shell's pid.");
        String line = ErlList.of(ShellCommand.words().stream().map(Atom::of).toList()).toString();
        return new Reply(line, table.toString(), false);
    }

    private static Atom bool(boolean value) {
        return value ? Atom.TRUE : Atom.FALSE;
    }

    /** The first line of a failure's message, or its type when it has none. */
    static String message(Throwable failure) {
        Throwable shown = failure;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
        return message.lines().findFirst().orElse("");
    }

    /** {@code text} cut to 80 characters, for error messages that quote what was typed. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Ends the shell's process; the node stays up. */
    @Override
    public void close() {
        process.close();
    }
}
