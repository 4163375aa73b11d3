package io.jdist.cli.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The shell's commands: their names, arguments and what each prints, for {@code help}, for
 * completion and for splitting a line into arguments.
 */
enum ShellCommand {
    NODES("nodes", "", "the connected nodes, a list of atoms"),
    CONNECT("connect", "Node", "connects to Node: true, or false with the reason on stderr"),
    DISCONNECT("disconnect", "Node", "closes the connection to Node: true, or false if there was none"),
    PING("ping", "Node", "asks Node's net_kernel, connecting first: pong or pang"),
    REGISTER("register", "Name", "registers the shell's process as Name: true"),
    SEND("send", "Dest Term", "sends Term to Dest (a pid, a Name, {Name, Node} or an alias): Term"),
    RECEIVE("receive", "[TimeoutMs]", "the next queued message, or timeout after TimeoutMs (no limit without it)"),
    FLUSH("flush", "", "takes every queued message: a list of them"),
    MONITOR("monitor", "Dest", "monitors Dest (a pid, a Name or {Name, Node}): the reference"),
    DEMONITOR("demonitor", "Ref", "removes the shell's monitor Ref: true, or false if it had none"),
    LINK("link", "Dest", "links the shell's process to Dest (a pid or a local Name): true"),
    SPAWN("spawn", "Node M F Args", "starts M:F(Args...) on Node: its pid"),
    RPC("rpc", "Node M F Args", "runs M:F(Args...) on Node: its value"),
    CALL("call", "Dest Request", "gen_server:call(Dest, Request): the reply"),
    SELF("self", "", "the shell's pid"),
    HELP("help", "[Command]", "the commands, or what one of them does"),
    QUIT("quit", "", "closes the node and leaves: ok");

    private final String word;
    private final String synopsis;
    private final String summary;

    ShellCommand(String word, String synopsis, String summary) {
        this.word = word;
        this.synopsis = synopsis;
        this.summary = summary;
    }

    /** The command as typed. */
    String word() {
        return word;
    }

    /** Its arguments as {@code help} shows them, such as {@code Node M F Args}. */
    String synopsis() {
        return synopsis;
    }

    /** What it does and prints. */
    String summary() {
        return summary;
    }

    /** The usage line: the command and its arguments. */
    String usage() {
        return synopsis.isEmpty() ? word : word + " " + synopsis;
    }

    /** Its required arguments' names, for messages about a missing one. */
    List<String> required() {
        return synopsis.isEmpty() || synopsis.startsWith("[") ? List.of() : List.of(synopsis.split(" "));
    }

    /** Whether its first argument is a node name, which completion offers. */
    boolean takesNodeFirst() {
        return synopsis.startsWith("Node");
    }

    /** The command typed as {@code word}. */
    static Optional<ShellCommand> of(String word) {
        return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
    }

    /** Every command's word, in the order {@code help} lists them. */
    static List<String> words() {
        return Arrays.stream(values()).map(ShellCommand::word).toList();
    }
}
