package io.jdist.internal.node;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.Discovery;
import io.jdist.internal.dist.ControlMessages;
import io.jdist.internal.dist.ControlOps;
import io.jdist.internal.dist.DistCodec;
import io.jdist.internal.dist.DistMessage;
import io.jdist.internal.handshake.DistFlags;
import io.jdist.term.Atom;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running node: its listener and published name, its connections to peers, and its local
 * processes. {@link io.jdist.Node} is the public face of this class.
 */
public final class NodeCore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.node");
    /** Every control message received, at TRACE: which variants a peer sends. */
    private static final System.Logger WIRE_LOG = System.getLogger("io.jdist.dist");

    /**
     * What jdist advertises: OTP 26's mandatory set, the digest OTP 27 will require, and the process
     * features: monitors (OTP sends monitor signals only when both monitor flags are there), the
     * sender in sends, exit reasons as payloads, spawn requests and aliases.
     */
    static final long FLAGS = DistFlags.MANDATORY_26 | DistFlags.MANDATORY_25_DIGEST | DistFlags.DIST_MONITOR
            | DistFlags.DIST_MONITOR_NAME | DistFlags.SEND_SENDER | DistFlags.EXIT_PAYLOAD | DistFlags.SPAWN
            | DistFlags.ALIAS;

    /** Receives messages and signals for one local process. Called on carrier threads; must not block. */
    public interface LocalProcess {
        void deliver(Term message);

        /** The process was ended by an exit signal with {@code reason} (or its node closed). Called once. */
        default void terminated(Term reason) {
        }
    }

    /** Hears about peers connecting and disconnecting. Called on carrier threads; must not block. */
    public interface NodeEvents {
        void nodeUp(String node);

        void nodeDown(String node, String reason);
    }

    /** What the node needs from its configuration. */
    public record Settings(String name, String cookie, String carrier, Map<String, String> carrierSettings,
            Duration ticktime, int port, InetAddress bindAddress, int epmdPort, Discovery discovery,
            Duration setupTimeout,
            int maxMessageBytes, boolean visible) {
    }

    private final Settings settings;
    private final Atom nameAtom;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService dialer;
    private final DistCodec codec;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Processes processes = new Processes(this);
    private final SpawnRequests spawns = new SpawnRequests(this, processes);
    private final PeerSignals signals = new PeerSignals(processes, spawns);
    private final List<NodeEvents> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong nextRef = new AtomicLong(1);
    private final int refSalt = new java.security.SecureRandom().nextInt();
    private Carrier carrier;
    private CarrierServer server;
    private Discovery discovery;
    private Discovery.Publication publication;
    private volatile int creation;
    private volatile Pid groupLeader;
    private volatile boolean closed;

    private NodeCore(Settings settings) {
        this.settings = settings;
        this.nameAtom = Atom.of(settings.name());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("jdist-ticker"));
        this.dialer = Executors.newCachedThreadPool(daemon("jdist-connect"));
        // Each frame is a fresh array that nothing else holds, so binaries can be views of it rather
        // than copies: as in Erlang, a binary taken from a message keeps that message's bytes alive.
        this.codec = new DistCodec(TermDecoder.builder().maxTermSize(settings.maxMessageBytes())
                .shareBinaries(true).build());
    }

    /** Starts a node: carrier, listener, published name, ticks. */
    public static NodeCore start(Settings settings) throws IOException {
        NodeCore node = new NodeCore(settings);
        try {
            node.carrier = Carriers.create(settings.carrier(), settings.carrierSettings());
            node.discovery = settings.discovery() != null ? settings.discovery()
                    : node.carrier.discovery().orElseGet(() -> Discovery.epmd(settings.epmdPort()));
            InetSocketAddress requested = settings.bindAddress() != null
                    ? new InetSocketAddress(settings.bindAddress(), settings.port())
                    : new InetSocketAddress(settings.port());
            SocketAddress bind = node.discovery.listenAddress(settings.name(), requested);
            node.server = node.carrier.listen(bind, () -> Connection.incoming(node));
            node.publication = node.discovery.publish(settings.name(), node.server.localAddress());
            node.creation = node.publication.creation();
            long interval = Math.max(1, settings.ticktime().toMillis() / 4);
            node.scheduler.scheduleAtFixedRate(node::tickAll, interval, interval, TimeUnit.MILLISECONDS);
            node.register(Atom.of("net_kernel"), node.spawn(new NetKernel(node)));
            if (settings.visible()) {
                GlobalNameServer.start(node);
            }
            node.groupLeader = node.spawn(new GroupLeader(node));
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "node {0} started on {1} carrier at {2}, creation {3}", settings.name(),
                settings.carrier(), node.server.localAddress(), Integer.toUnsignedString(node.creation));
        return node;
    }

    // Accessors for connections.

    /** The carrier's name, as configured. */
    public String carrierName() {
        return settings.carrier();
    }

    public String name() {
        return settings.name();
    }

    public Atom nameAtom() {
        return nameAtom;
    }

    public int creation() {
        return creation;
    }

    /** What this node advertises: {@link #FLAGS}, and {@code PUBLISHED} if it is visible. */
    long flags() {
        return settings.visible() ? FLAGS | DistFlags.PUBLISHED : FLAGS;
    }

    long requiredFlags() {
        return DistFlags.MANDATORY_25;
    }

    String cookie() {
        return settings.cookie();
    }

    Carrier carrier() {
        return carrier;
    }

    DistCodec codec() {
        return codec;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Duration setupTimeout() {
        return settings.setupTimeout();
    }

    int maxMessageBytes() {
        return settings.maxMessageBytes();
    }

    public boolean isAlive() {
        return !closed;
    }

    // Processes.

    /** A new reference of this node. */
    public Ref newRef() {
        long n = nextRef.getAndIncrement();
        return Ref.of(nameAtom, creation, (int) (n & 0x3FFFF), (int) (n >>> 18), refSalt);
    }

    public Pid spawn(LocalProcess process) {
        return processes.spawn(process);
    }

    /** Ends a local process with {@code reason}, signalling its links and monitors. */
    public void exit(Pid pid, Term reason) {
        processes.exit(pid, reason);
    }

    /** Links, monitors, exit signals, aliases and spawn requests of the local processes. */
    public Processes processes() {
        return processes;
    }

    /** Spawn requests to and from other nodes. */
    public SpawnRequests spawns() {
        return spawns;
    }

    /** The group leader given to processes this node spawns elsewhere: it takes their output. */
    Pid groupLeader() {
        return groupLeader;
    }

    /**
     * Registers {@code name} for {@code pid}.
     *
     * @throws IllegalStateException if the name is taken or the pid is not alive
     */
    public void register(Atom name, Pid pid) {
        processes.register(name, pid);
    }

    public boolean unregister(Atom name, Pid pid) {
        return processes.unregister(name, pid);
    }

    public Optional<Pid> whereis(Atom name) {
        return processes.whereis(name);
    }

    private boolean isLocal(Pid pid) {
        return pid.node().equals(nameAtom);
    }

    private void deliverLocal(Pid to, Term message) {
        // A pid of an earlier incarnation of this node names no process: drop, as Erlang does.
        processes.deliver(to, message);
    }

    // Sending.

    /** Sends {@code message} from {@code from} to a pid, local or remote. Never blocks. */
    public void send(Pid from, Pid to, Term message) {
        if (isLocal(to)) {
            deliverLocal(to, message);
        } else {
            // SEND_SENDER names the sender, as OTP 21+ does once the peer is known to take it.
            sendControl(to.node().name(), flags -> ControlMessages.send(flags, from, to, message));
        }
    }

    /** Sends to a registered name on a node (REG_SEND when remote). Never blocks. */
    public void send(Pid from, Atom name, String node, Term message) {
        if (node.equals(settings.name())) {
            processes.deliverToName(name, message);
        } else {
            connectionTo(node).ifPresent(c -> c.send(ControlMessages.regSend(from, name, message)));
        }
    }

    /**
     * Sends a control message to {@code peer}, connecting first if need be. {@code encode} gets the
     * connection's negotiated flags, or 0 while it is not up yet (then only forms every OTP 23+
     * peer takes should be chosen).
     *
     * @return {@code false} if there is no way to reach {@code peer}
     */
    boolean sendControl(String peer, java.util.function.LongFunction<java.nio.ByteBuffer> encode) {
        Optional<Connection> c = connectionTo(peer);
        c.ifPresent(connection -> connection.send(encode.apply(connection.negotiatedFlags())));
        return c.isPresent();
    }

    /** {@link #sendControl}, but only over a connection that exists already. */
    void sendControlIfConnected(String peer, java.util.function.LongFunction<java.nio.ByteBuffer> encode) {
        Connection c = connections.get(peer);
        if (c != null && c.isUsable()) {
            c.send(encode.apply(c.negotiatedFlags()));
        }
    }

    /** The flags negotiated with {@code peer}, connecting first; empty if it cannot be reached. */
    public CompletableFuture<Long> negotiatedFlags(String peer) {
        Optional<Connection> c = connectionTo(peer);
        if (c.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("cannot reach " + peer));
        }
        return c.get().upFuture().thenApply(Connection::negotiatedFlags);
    }

    // Connections.

    /** The connection to {@code peer}, dialling if there is none; empty if the name cannot be dialled. */
    private Optional<Connection> connectionTo(String peer) {
        if (closed) {
            return Optional.empty();
        }
        if (!NodeNames.isFullName(peer)) {
            // Such as Node.connect(:node1) without a host: OTP's net_kernel refuses it too, and logs it.
            LOG.log(System.Logger.Level.WARNING, "cannot connect to {0}: not a node name; expected alive@host", peer);
            return Optional.empty();
        }
        Connection c = connections.get(peer);
        if (c != null && c.isUsable()) {
            return Optional.of(c);
        }
        synchronized (connections) {
            c = connections.get(peer);
            if (c == null || !c.isUsable()) {
                c = Connection.outgoing(this, peer);
                connections.put(peer, c);
                Connection dialling = c;
                dialer.execute(() -> dial(dialling));
            }
            return Optional.of(c);
        }
    }

    /** Connects to {@code peer}; completes with {@code true} once the connection is up. */
    public CompletableFuture<Boolean> connect(String peer) {
        return connectOrFail(peer).handle((connection, error) -> error == null);
    }

    /**
     * Connects to {@code peer}; completes once the connection is up, or fails with an {@link
     * IOException} saying why it cannot be made.
     */
    public CompletableFuture<Void> connectOrFail(String peer) {
        if (peer.equals(settings.name())) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<Connection> c = connectionTo(peer);
        if (c.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + peer + ": "
                    + (closed ? "this node is closed" : "expected a node name alive@host")));
        }
        return c.get().upFuture().thenApply(connection -> null);
    }

    private void dial(Connection c) {
        String peer = c.peerName();
        try {
            String problem = incompatibility(peer);
            if (problem != null) {
                c.failToConnect(problem);
                return;
            }
            carrier.connect(discovery.lookup(peer), NodeNames.hostOf(peer), c).exceptionally(e -> {
                c.failToConnect(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                return null;
            });
        } catch (IOException e) {
            c.failToConnect("cannot reach " + peer + ": " + e.getMessage());
        }
    }

    /** Why this node cannot connect to {@code peer} by OTP's name rules, or {@code null}. */
    private String incompatibility(String peer) {
        boolean longName = NodeNames.hostOf(settings.name()).indexOf('.') >= 0
                || NodeNames.isIpAddress(NodeNames.hostOf(settings.name()));
        String host = NodeNames.hostOf(peer);
        if (!longName && host.indexOf('.') >= 0) {
            return "cannot connect to " + peer + ": a node with a short name cannot reach a host name with a dot";
        }
        if (longName && host.indexOf('.') < 0 && !NodeNames.isIpAddress(host)) {
            return "cannot connect to " + peer + ": a node with a long name cannot reach a host name without a dot";
        }
        return null;
    }

    /**
     * The handshake status for an incoming connection from {@code peer}, applying OTP's
     * simultaneous-connect rule so that two nodes dialling each other end with one connection.
     */
    String admit(Connection incoming, String peer) {
        synchronized (connections) {
            Connection existing = connections.get(peer);
            if (existing == null || !existing.isUsable()) {
                connections.put(peer, incoming);
                return "ok";
            }
            if (existing.state() == Connection.State.UP) {
                return "alive";
            }
            if (!existing.isOutgoing()) {
                return "nok";
            }
            if (nameAtom.compareTo(Atom.of(peer)) > 0) {
                return "nok";
            }
            // Superseded first: a sender still holding the old attempt then forwards in order.
            existing.supersededBy(incoming);
            connections.put(peer, incoming);
            return "ok_simultaneous";
        }
    }

    void connectionUp(Connection c) {
        synchronized (connections) {
            Connection old = connections.get(c.peerName());
            if (old != null && old != c) {
                // The peer told us (status alive, answer true) that the old connection is dead.
                // Superseded before the table changes, so that senders keep their order.
                old.supersededBy(c);
            }
            connections.put(c.peerName(), c);
        }
        LOG.log(System.Logger.Level.INFO, "node {0} connected ({1})", c.peerName(),
                c.result().visible() ? "visible" : "hidden");
        for (NodeEvents listener : listeners) {
            try {
                listener.nodeUp(c.peerName());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "node listener failed on nodeUp", e);
            }
        }
    }

    void connectionClosed(Connection c, String reason, boolean wasUp) {
        String peer = c.peerName();
        if (peer != null) {
            connections.remove(peer, c);
            Connection current = connections.get(peer);
            // Links and monitors across the connection break; an attempt that never came up breaks
            // those that were waiting for it, unless another connection to the peer carries them.
            if (wasUp || current == null || !current.isUsable()) {
                processes.nodeDown(peer);
                spawns.nodeDown(peer);
            }
        }
        if (wasUp) {
            LOG.log(System.Logger.Level.INFO, "node {0} disconnected: {1}", peer, reason);
            for (NodeEvents listener : listeners) {
                try {
                    listener.nodeDown(peer, reason);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "node listener failed on nodeDown", e);
                }
            }
        }
    }

    /** Closes the connection to {@code peer}; {@code false} if there was none. */
    public boolean disconnect(String peer) {
        Connection c = connections.get(peer);
        if (c == null || !c.isUsable()) {
            return false;
        }
        // Closing completes on the carrier's thread; the node is gone from nodes() at once.
        connections.remove(peer, c);
        c.close("disconnected by this node");
        return true;
    }

    /** The peers with an established connection. */
    /** The connection to {@code peer} if it is up: for what the carrier knows of it. */
    public Optional<CarrierConnection> upConnection(String peer) {
        Connection c = connections.get(peer);
        return c != null && c.state() == Connection.State.UP && c.isUsable() ? Optional.ofNullable(c.carrier())
                : Optional.empty();
    }

    /** Whether this node dialled {@code peer}'s current connection. */
    public boolean dialled(String peer) {
        Connection c = connections.get(peer);
        return c != null && c.outgoing();
    }

    public List<String> nodes() {
        List<String> up = new ArrayList<>();
        for (Connection c : connections.values()) {
            if (c.state() == Connection.State.UP && c.isUsable()) {
                up.add(c.peerName());
            }
        }
        up.sort(null);
        return up;
    }

    public void addListener(NodeEvents listener) {
        listeners.add(listener);
    }

    public void removeListener(NodeEvents listener) {
        listeners.remove(listener);
    }

    private void tickAll() {
        long ticktime = settings.ticktime().toNanos();
        for (Connection c : connections.values()) {
            try {
                c.tick(ticktime);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "tick of " + c + " failed", e);
            }
        }
    }

    // Incoming messages.

    /** Handles a message from a peer. Runs on the connection's carrier thread. */
    void dispatch(Connection from, DistMessage message) throws io.jdist.internal.dist.DistProtocolException {
        Tuple control = message.control();
        if (WIRE_LOG.isLoggable(System.Logger.Level.TRACE)) {
            WIRE_LOG.log(System.Logger.Level.TRACE, "received operation {0} from {1}", message.op(), from.peerName());
        }
        switch (message.op()) {
            case ControlOps.SEND, ControlOps.SEND_TT, ControlOps.SEND_SENDER, ControlOps.SEND_SENDER_TT -> {
                if (!(control.get(2) instanceof Pid to)) {
                    throw new io.jdist.internal.dist.DistProtocolException("SEND to a non-pid " + control.get(2));
                }
                if (isLocal(to)) {
                    deliverLocal(to, message.payload());
                }
            }
            case ControlOps.REG_SEND, ControlOps.REG_SEND_TT -> {
                if (!(control.get(1) instanceof Pid) || !(control.get(3) instanceof Atom name)) {
                    throw new io.jdist.internal.dist.DistProtocolException("REG_SEND needs a sender pid and a name but got "
                            + control);
                }
                processes.deliverToName(name, message.payload());
            }
            default -> signals.dispatch(from, message);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection c : connections.values()) {
            c.close("node " + settings.name() + " is closing");
        }
        if (publication != null) {
            publication.close();
        }
        if (discovery != null) {
            discovery.close();
        }
        if (server != null) {
            server.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        scheduler.shutdownNow();
        dialer.shutdownNow();
        spawns.closeAll();
        processes.closeAll(Atom.of("shutdown"));
        LOG.log(System.Logger.Level.INFO, "node {0} closed", settings.name());
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
