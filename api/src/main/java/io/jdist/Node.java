package io.jdist;

import io.jdist.internal.node.Cookies;
import io.jdist.internal.node.NodeCore;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node of an Erlang cluster running in this JVM: the Java counterpart of {@code iex --sname a
 * --cookie c}. It listens for peers, registers its name with EPMD (starting an embedded EPMD when
 * none answers, as {@code erl} starts {@code epmd}), connects to peers on demand and hosts {@link
 * Mailbox}es.
 *
 * <pre>{@code
 * try (Node node = Node.start(NodeConfig.builder().sname("java").cookie("secret").build())) {
 *     node.connect("erl@myhost");
 *     Mailbox mbox = node.createMailbox("my_mbox");
 *     mbox.send("shell", "erl@myhost", Tuple.of(Atom.of("hello"), mbox.self()));
 *     Term reply = mbox.receive();
 * }
 * }</pre>
 *
 * <p>A Java node is hidden, as JInterface nodes are: Erlang lists it in {@code nodes(hidden)}.
 * Thread-safe.
 */
public final class Node implements AutoCloseable {

    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");

    private final NodeCore core;
    private final Map<NodeListener, NodeCore.NodeEvents> listeners = new ConcurrentHashMap<>();

    private Node(NodeCore core) {
        this.core = core;
    }

    /**
     * Starts a node.
     *
     * @throws IOException if it cannot listen, reach or start EPMD, register its name (it may be in
     *     use), or read its cookie file
     * @throws IllegalArgumentException if the configuration names no available carrier
     */
    public static Node start(NodeConfig config) throws IOException {
        String cookie = config.cookie() != null ? Cookies.check(config.cookie())
                : Cookies.readOrCreate(config.cookieFile() != null ? config.cookieFile() : Cookies.defaultFile());
        return new Node(NodeCore.start(new NodeCore.Settings(config.name(), cookie, config.carrier(),
                config.carrierSettings(), config.ticktime(), config.port(), config.bindAddress(), config.epmdPort(),
                config.discovery().orElse(null), config.setupTimeout(), config.maxMessageBytes())));
    }

    /** Starts a node configured by system properties alone ({@code -Ddist.sname=...}, see {@link NodeConfig}). */
    public static Node start() throws IOException {
        return start(NodeConfig.fromSystemProperties());
    }

    /** This node's full name, {@code alive@host}: Erlang's {@code node()}. */
    public String name() {
        return core.name();
    }

    /** The incarnation number this node's pids and references carry. */
    public int creation() {
        return core.creation();
    }

    /** Whether the node is running: Erlang's {@code is_alive()}. */
    public boolean alive() {
        return core.isAlive();
    }

    /** A new mailbox with no name. */
    public Mailbox createMailbox() {
        return new Mailbox(core);
    }

    /**
     * A new mailbox registered as {@code name}.
     *
     * @throws IllegalStateException if the name is taken
     */
    public Mailbox createMailbox(String name) {
        Mailbox mailbox = new Mailbox(core);
        try {
            mailbox.register(name);
        } catch (RuntimeException e) {
            mailbox.close();
            throw e;
        }
        return mailbox;
    }

    /** The pid registered as {@code name} on this node: Erlang's {@code whereis/1}. */
    public Optional<Pid> whereis(String name) {
        return core.whereis(Atom.of(name));
    }

    /** A new reference of this node, unique while it runs: Erlang's {@code make_ref()}. */
    public Ref makeRef() {
        return core.newRef();
    }

    /**
     * Connects to {@code node} and waits for the handshake: Elixir's {@code Node.connect/1}.
     *
     * @return whether the connection is up; {@code false} when the node cannot be found or reached,
     *     or refuses (a wrong cookie), with the reason logged
     */
    public boolean connect(String node) throws InterruptedException {
        try {
            return core.connect(node).get();
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Closes the connection to {@code node}: {@code Node.disconnect/1}. {@code false} if there was none. */
    public boolean disconnect(String node) {
        return core.disconnect(node);
    }

    /** The nodes this node is connected to: {@code Node.list/0}, with hidden nodes too. */
    public List<String> nodes() {
        return core.nodes();
    }

    /** {@link #ping(String, Duration)} with a 7 second timeout. */
    public boolean ping(String node) throws InterruptedException {
        return ping(node, Duration.ofSeconds(7));
    }

    /**
     * Asks {@code node}'s {@code net_kernel} whether it accepts this node, as {@code
     * net_adm:ping/1} does, connecting first if need be.
     *
     * @return {@code true} for {@code pong}, {@code false} for {@code pang}
     */
    public boolean ping(String node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!core.connect(node).get(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        try (Mailbox mailbox = createMailbox()) {
            Ref tag = makeRef();
            mailbox.send("net_kernel", node, Tuple.of(GEN_CALL, Tuple.of(mailbox.self(), tag),
                    Tuple.of(IS_AUTH, Atom.of(name()))));
            while (true) {
                Optional<Term> reply = mailbox.receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (reply.isEmpty()) {
                    return false;
                }
                if (reply.get() instanceof Tuple t && t.arity() == 2 && t.get(0).equals(tag)) {
                    return t.get(1).equals(YES);
                }
            }
        }
    }

    /** Hears about nodes connecting and disconnecting, as {@code net_kernel:monitor_nodes(true)}. */
    public void addListener(NodeListener listener) {
        NodeCore.NodeEvents events = new NodeCore.NodeEvents() {
            @Override
            public void nodeUp(String node) {
                listener.nodeUp(node);
            }

            @Override
            public void nodeDown(String node, String reason) {
                listener.nodeDown(node, reason);
            }
        };
        if (listeners.putIfAbsent(listener, events) == null) {
            core.addListener(events);
        }
    }

    /** Stops telling {@code listener} about nodes. */
    public void removeListener(NodeListener listener) {
        NodeCore.NodeEvents events = listeners.remove(listener);
        if (events != null) {
            core.removeListener(events);
        }
    }

    /**
     * Stops the node: closes its connections, unregisters from EPMD, stops listening and releases
     * its threads. Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "Node[" + name() + (alive() ? "" : ", closed") + "]";
    }
}
