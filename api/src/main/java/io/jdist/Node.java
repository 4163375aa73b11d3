package io.jdist;

import io.jdist.internal.node.Calls;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Beyond messages it offers what Erlang code expects of a node: {@link #call} any {@code
 * gen_server} or GenServer, {@link #rpc} into any node, and the other way round {@link
 * #registerFunction Java functions} that Erlang can {@code spawn} and {@code rpc:call}, and {@link
 * #startServer Java servers} that answer {@code gen_server:call}. Links, monitors and exit signals
 * are on {@link Mailbox}.
 *
 * <p>A Java node is hidden by default, as JInterface nodes are: Erlang lists it in {@code
 * nodes(hidden)}. A node made {@link NodeConfig.Builder#visible visible} is listed in {@code
 * nodes()}. Thread-safe.
 */
public final class Node implements AutoCloseable {

    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");

    private final NodeCore core;
    private final Map<NodeListener, NodeCore.NodeEvents> listeners = new ConcurrentHashMap<>();
    /** Runs spawned functions and servers, a thread each: they may block. */
    private final ExecutorService processThreads;
    private final Functions functions;
    private final Calls calls;

    private Node(NodeCore core) {
        this.core = core;
        AtomicInteger count = new AtomicInteger();
        this.processThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jdist-process-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.functions = new Functions(core, processThreads);
        this.calls = new Calls(core);
        core.spawns().service(functions);
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
                config.discovery().orElse(null), config.setupTimeout(), config.maxMessageBytes(), config.visible())));
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

    /**
     * Connects to {@code node} as {@link #connect} does, and says why when it cannot: for callers
     * that show the reason to a person.
     *
     * @throws NoConnectionException if the connection cannot be made, its message saying why, such
     *     as {@code no node named b is registered with EPMD at ...} or {@code b@host closed the
     *     connection after this node's challenge reply: it refused this node's cookie ...}
     * @throws IllegalArgumentException if {@code node} is not a full node name, {@code alive@host}
     */
    public void connectOrThrow(String node) throws InterruptedException {
        if (node.indexOf('@') <= 0 || node.indexOf('@') == node.length() - 1) {
            throw new IllegalArgumentException("expected a node name alive@host but was '" + node + "'");
        }
        try {
            core.connectOrFail(node).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            for (String said : List.of("cannot connect to " + node + ": ", "cannot reach " + node + ": ")) {
                if (reason.startsWith(said)) {
                    reason = reason.substring(said.length());
                }
            }
            throw new NoConnectionException("cannot connect to " + node + ": " + reason);
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

    /**
     * What this node knows of its connection to {@code node}, if it is up: addresses, the carrier,
     * and the certificate chain the peer presented on carriers that authenticate peers ({@code tls}).
     */
    public Optional<ConnectionInfo> connectionInfo(String node) {
        return core.upConnection(node).map(c -> new ConnectionInfo(node, core.carrierName(), c.localAddress(),
                c.remoteAddress(), c.peerCertificates(), core.dialled(node)));
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

    // Calls, rpc and spawn toward other processes.

    /**
     * Calls a server, as {@code gen_server:call(Pid, Request, Timeout)} does, with its wire shape:
     * any {@code gen_server}, Elixir GenServer or {@link GenServer} answers.
     *
     * @param request converted by {@link Term#of}
     * @return the reply
     * @throws NoProcException if the process does not exist
     * @throws NoConnectionException if its node cannot be reached or goes down during the call
     * @throws CallTimeoutException if no reply comes within {@code timeout}
     * @throws CallException if the server ends during the call, with its exit reason
     */
    public Term call(Pid server, Object request, Duration timeout) throws InterruptedException {
        return call(server, null, request, timeout, "call to " + server);
    }

    /** {@link #call(Pid, Object, Duration)} to the process registered as {@code name} on {@code node}. */
    public Term call(String name, String node, Object request, Duration timeout) throws InterruptedException {
        return call(Atom.of(name), node, request, timeout, "call to {" + name + ", " + node + "}");
    }

    private Term call(Term server, String node, Object request, Duration timeout, String what)
            throws InterruptedException {
        try {
            return calls.call(server, node, Term.of(request), timeout, what);
        } catch (Calls.Failure f) {
            throw exception(f);
        }
    }

    /** Sends {@code {'$gen_cast', Request}}, as {@code gen_server:cast/2}: no reply, no error. */
    public void cast(Pid server, Object request) {
        try (Mailbox sender = createMailbox()) {
            sender.send(server, Tuple.of(GEN_CAST, Term.of(request)));
        }
    }

    /** {@link #cast(Pid, Object)} to the process registered as {@code name} on {@code node}. */
    public void cast(String name, String node, Object request) {
        try (Mailbox sender = createMailbox()) {
            sender.send(name, node, Tuple.of(GEN_CAST, Term.of(request)));
        }
    }

    /**
     * Runs {@code module:function(args)} on {@code node} and returns its value: {@code
     * erpc:call/5}, which is what {@code rpc:call/5} does in OTP 25. It works with any OTP 23+
     * node, or a Java node where the function is {@link #registerFunction registered}.
     *
     * @param args converted by {@link Term#of}
     * @throws NoConnectionException if the node cannot be reached or goes down during the call
     * @throws CallTimeoutException if no result comes within {@code timeout}
     * @throws CallException if the function fails, with reason {@code {error, Reason, Stack}} (an
     *     undefined function gives {@code {error, undef, [{M, F, Args, []}]}}), {@code {exit,
     *     Reason}} or {@code {throw, Value}}
     */
    public Term rpc(String node, String module, String function, List<?> args, Duration timeout)
            throws InterruptedException {
        try {
            return calls.rpc(node, Atom.of(module), Atom.of(function), args.stream().map(Term::of).toList(), timeout);
        } catch (Calls.Failure f) {
            throw exception(f);
        }
    }

    /**
     * Spawns {@code module:function(args)} on {@code node}: Elixir's {@code Node.spawn(node, M, F,
     * A)}. To link or monitor the new process, spawn it from a {@link Mailbox}.
     *
     * @throws NoConnectionException if the node cannot be reached
     */
    public Pid spawn(String node, String module, String function, List<?> args) throws InterruptedException {
        try (Mailbox parent = createMailbox()) {
            return parent.spawn(node, module, function, args);
        }
    }

    private static CallException exception(Calls.Failure f) {
        Term reason = f.reason();
        if (reason.equals(Atom.of("noproc"))) {
            return new NoProcException(f.getMessage());
        } else if (reason.equals(Atom.of("noconnection"))) {
            return new NoConnectionException(f.getMessage());
        } else if (reason.equals(Atom.of("timeout"))) {
            return new CallTimeoutException(f.getMessage());
        }
        return new CallException(f.getMessage(), reason);
    }

    // What other nodes call here.

    /**
     * Makes {@code module:function/arity} callable from other nodes: {@code spawn(JavaNode, M, F,
     * Args)} runs it on a new process, {@code rpc:call(JavaNode, M, F, Args)} returns its value.
     * Replaces an earlier registration of the same function. Calls of functions that are not
     * registered fail as calls of undefined functions do in Erlang, with {@code undef}.
     *
     * @throws IllegalArgumentException if {@code arity} is not 0 to 255
     */
    public void registerFunction(String module, String function, int arity, ProcessFunction body) {
        functions.register(module, function, arity, body);
    }

    /** Removes a registration; {@code false} if there was none. */
    public boolean unregisterFunction(String module, String function, int arity) {
        return functions.unregister(module, function, arity);
    }

    /**
     * Starts {@code server} under the registered {@code name}: {@code gen_server:call({Name,
     * JavaNode}, Request)} and {@code GenServer.call/2} reach {@link GenServer#handleCall}, casts
     * {@link GenServer#handleCast}, and other messages {@link GenServer#handleInfo}. It runs on a
     * thread of its own until an exit signal ends it (such as {@code exit(Pid, shutdown)}), a
     * method throws, or the node closes.
     *
     * @return the server's pid
     * @throws IllegalStateException if the name is taken
     */
    public Pid startServer(String name, GenServer server) {
        Mailbox mailbox = createMailbox(name);
        processThreads.execute(new ServerProcess(mailbox, server));
        return mailbox.self();
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
        processThreads.shutdownNow();
    }

    @Override
    public String toString() {
        return "Node[" + name() + (alive() ? "" : ", closed") + "]";
    }
}
