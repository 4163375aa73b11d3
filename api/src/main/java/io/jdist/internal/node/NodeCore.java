package io.jdist.internal.node;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierServer;
import io.jdist.internal.dist.ControlOps;
import io.jdist.internal.dist.DistCodec;
import io.jdist.internal.dist.DistMessage;
import io.jdist.internal.epmd.EmbeddedEpmd;
import io.jdist.internal.epmd.EpmdClient;
import io.jdist.internal.epmd.NodeEntry;
import io.jdist.internal.epmd.NodeType;
import io.jdist.internal.epmd.Registration;
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
 * A running node: its listener and EPMD registration, its connections to peers, and its local
 * processes. {@link io.jdist.Node} is the public face of this class.
 */
public final class NodeCore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.node");

    /** What jdist advertises: OTP 26's mandatory set, and the digest OTP 27 will require. */
    static final long FLAGS = DistFlags.MANDATORY_26 | DistFlags.MANDATORY_25_DIGEST;

    /** Receives messages for one local process. Called on carrier threads; must not block. */
    public interface LocalProcess {
        void deliver(Term message);
    }

    /** Hears about peers connecting and disconnecting. Called on carrier threads; must not block. */
    public interface NodeEvents {
        void nodeUp(String node);

        void nodeDown(String node, String reason);
    }

    /** What the node needs from its configuration. */
    public record Settings(String name, String cookie, String carrier, Map<String, String> carrierSettings,
            Duration ticktime, int port, InetAddress bindAddress, int epmdPort, Duration setupTimeout,
            int maxMessageBytes) {
    }

    private final Settings settings;
    private final Atom nameAtom;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService dialer;
    private final DistCodec codec;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<Pid, LocalProcess> processes = new ConcurrentHashMap<>();
    private final Map<Atom, Pid> names = new ConcurrentHashMap<>();
    private final List<NodeEvents> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicLong nextRef = new AtomicLong(1);
    private final int refSalt = new java.security.SecureRandom().nextInt();
    private Carrier carrier;
    private CarrierServer server;
    private EmbeddedEpmd.Lease epmdLease;
    private volatile Registration registration;
    private volatile int creation;
    private volatile boolean closed;

    private NodeCore(Settings settings) {
        this.settings = settings;
        this.nameAtom = Atom.of(settings.name());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("jdist-ticker"));
        this.dialer = Executors.newCachedThreadPool(daemon("jdist-connect"));
        this.codec = new DistCodec(TermDecoder.builder().maxTermSize(settings.maxMessageBytes()).build());
    }

    /** Starts a node: carrier, listener, EPMD (embedded if none answers), ticks. */
    public static NodeCore start(Settings settings) throws IOException {
        NodeCore node = new NodeCore(settings);
        try {
            node.carrier = Carriers.create(settings.carrier(), settings.carrierSettings());
            InetSocketAddress bind = settings.bindAddress() != null
                    ? new InetSocketAddress(settings.bindAddress(), settings.port())
                    : new InetSocketAddress(settings.port());
            node.server = node.carrier.listen(bind, () -> Connection.incoming(node));
            node.epmdLease = EmbeddedEpmd.acquire(settings.epmdPort());
            node.register();
            long interval = Math.max(1, settings.ticktime().toMillis() / 4);
            node.scheduler.scheduleAtFixedRate(node::tickAll, interval, interval, TimeUnit.MILLISECONDS);
            node.register(Atom.of("net_kernel"), node.spawn(new NetKernel(node)));
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "node {0} started on {1} carrier at {2}, creation {3}", settings.name(),
                settings.carrier(), node.server.localAddress(), Integer.toUnsignedString(node.creation));
        return node;
    }

    private void register() throws IOException {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Registration r = epmdLease.client().register(NodeEntry.of(NodeNames.aliveOf(settings.name()), port,
                NodeType.NORMAL), this::reregister);
        creation = r.creation();
        registration = r;
    }

    /** EPMD dropped our registration: register again, starting an embedded EPMD if it has gone. */
    private void reregister(Registration lost) {
        if (closed) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "EPMD at {0} dropped the registration of {1}; registering again",
                lost.epmdAddress(), settings.name());
        scheduler.execute(() -> {
            for (int attempt = 1; !closed; attempt++) {
                try {
                    EmbeddedEpmd.Lease old = epmdLease;
                    epmdLease = EmbeddedEpmd.acquire(settings.epmdPort());
                    old.close();
                    // The creation stays: pids already handed out keep naming this incarnation.
                    int port = ((InetSocketAddress) server.localAddress()).getPort();
                    registration = epmdLease.client().register(NodeEntry.of(NodeNames.aliveOf(settings.name()),
                            port, NodeType.NORMAL), this::reregister);
                    LOG.log(System.Logger.Level.INFO, "registered {0} with EPMD again", settings.name());
                    return;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "registering {0} with EPMD again failed (attempt {1}): {2}",
                            settings.name(), attempt, e.getMessage());
                    try {
                        Thread.sleep(Math.min(5000, 200L * attempt));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
    }

    // Accessors for connections.

    public String name() {
        return settings.name();
    }

    public Atom nameAtom() {
        return nameAtom;
    }

    public int creation() {
        return creation;
    }

    long flags() {
        return FLAGS;
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

    /** A new pid of this node. */
    public Pid newPid() {
        return new Pid(nameAtom, nextPid.getAndIncrement(), 0, creation);
    }

    /** A new reference of this node. */
    public Ref newRef() {
        long n = nextRef.getAndIncrement();
        return Ref.of(nameAtom, creation, (int) (n & 0x3FFFF), (int) (n >>> 18), refSalt);
    }

    public Pid spawn(LocalProcess process) {
        Pid pid = newPid();
        processes.put(pid, process);
        return pid;
    }

    public void exit(Pid pid) {
        processes.remove(pid);
        names.values().removeIf(pid::equals);
    }

    /**
     * Registers {@code name} for {@code pid}.
     *
     * @throws IllegalStateException if the name is taken or the pid is not alive
     */
    public void register(Atom name, Pid pid) {
        if (!processes.containsKey(pid)) {
            throw new IllegalStateException("cannot register " + name + ": " + pid + " is not alive");
        }
        Pid existing = names.putIfAbsent(name, pid);
        if (existing != null && !existing.equals(pid)) {
            throw new IllegalStateException("the name " + name + " is already registered to " + existing);
        }
    }

    public boolean unregister(Atom name, Pid pid) {
        return names.remove(name, pid);
    }

    public Optional<Pid> whereis(Atom name) {
        return Optional.ofNullable(names.get(name));
    }

    private boolean isLocal(Pid pid) {
        return pid.node().equals(nameAtom);
    }

    private void deliverLocal(Pid to, Term message) {
        // A pid of an earlier incarnation of this node names no process: drop, as Erlang does.
        LocalProcess process = to.creation() == creation ? processes.get(to) : null;
        if (process != null) {
            process.deliver(message);
        }
    }

    // Sending.

    /** Sends {@code message} from {@code from} to a pid, local or remote. Never blocks. */
    public void send(Pid from, Pid to, Term message) {
        if (isLocal(to)) {
            deliverLocal(to, message);
        } else {
            connectionTo(to.node().name()).ifPresent(c -> c.send(
                    DistCodec.encode(Tuple.of(ControlOps.SEND, Atom.of(""), to), message)));
        }
    }

    /** Sends to a registered name on a node (REG_SEND when remote). Never blocks. */
    public void send(Pid from, Atom name, String node, Term message) {
        if (node.equals(settings.name())) {
            Pid to = names.get(name);
            if (to != null) {
                deliverLocal(to, message);
            }
        } else {
            connectionTo(node).ifPresent(c -> c.send(
                    DistCodec.encode(Tuple.of(ControlOps.REG_SEND, from, Atom.of(""), name), message)));
        }
    }

    // Connections.

    /** The connection to {@code peer}, dialling if there is none; empty if the name cannot be dialled. */
    private Optional<Connection> connectionTo(String peer) {
        if (closed || !NodeNames.isFullName(peer)) {
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
        if (peer.equals(settings.name())) {
            return CompletableFuture.completedFuture(true);
        }
        Optional<Connection> c = connectionTo(peer);
        if (c.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return c.get().upFuture().handle((connection, error) -> error == null);
    }

    private void dial(Connection c) {
        String peer = c.peerName();
        try {
            String problem = incompatibility(peer);
            if (problem != null) {
                c.failToConnect(problem);
                return;
            }
            String host = NodeNames.hostOf(peer);
            InetAddress address = InetAddress.getByName(host);
            EpmdClient epmd = EpmdClient.builder().host(address.getHostAddress()).port(settings.epmdPort()).build();
            Optional<NodeEntry> entry = epmd.portPlease(NodeNames.aliveOf(peer));
            if (entry.isEmpty()) {
                c.failToConnect("no node named " + NodeNames.aliveOf(peer) + " is registered with EPMD at "
                        + epmd.address());
                return;
            }
            if (entry.get().highestVersion() < 6 || entry.get().lowestVersion() > 6) {
                c.failToConnect(peer + " speaks distribution versions " + entry.get().lowestVersion() + " to "
                        + entry.get().highestVersion() + "; jdist speaks 6");
                return;
            }
            carrier.connect(new InetSocketAddress(address, entry.get().port()), host, c).exceptionally(e -> {
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
                Pid to = names.get(name);
                if (to != null) {
                    deliverLocal(to, message.payload());
                }
            }
            default -> LOG.log(System.Logger.Level.DEBUG, "ignoring control message {0} from {1}", control,
                    from.peerName());
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
        Registration r = registration;
        if (r != null) {
            r.close();
        }
        if (epmdLease != null) {
            epmdLease.close();
        }
        if (server != null) {
            server.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        scheduler.shutdownNow();
        dialer.shutdownNow();
        processes.clear();
        names.clear();
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
