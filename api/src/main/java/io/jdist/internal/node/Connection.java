package io.jdist.internal.node;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.internal.dist.DistMessage;
import io.jdist.internal.dist.DistProtocolException;
import io.jdist.internal.framing.FrameReader;
import io.jdist.internal.handshake.Handshake;
import io.jdist.internal.handshake.HandshakeException;
import io.jdist.internal.handshake.HandshakeResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to a peer node: the handshake, then framed messages and ticks. Messages sent
 * before the connection is up wait in its outbox, as Erlang queues them while it connects.
 *
 * <p>Writes are coalesced without delaying a lone message: whichever thread finds the outbox idle
 * drains it, taking every message queued meanwhile into one carrier write.
 */
final class Connection implements ConnectionHandler {

    private static final System.Logger LOG = System.getLogger("io.jdist.connection");
    private static final int MAX_HANDSHAKE_FRAME = 64 * 1024;
    private static final ByteBuffer TICK = ByteBuffer.allocate(4).asReadOnlyBuffer();

    enum State { CONNECTING, HANDSHAKE, UP, CLOSED }

    /**
     * True on a thread while it handles a carrier's event for any connection. Such a thread never
     * waits for a busy connection: it may be the very thread that would drain it.
     */
    private static final ThreadLocal<Boolean> IN_CARRIER_EVENT = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final NodeCore node;
    private final boolean outgoing;
    private volatile String peerName;
    private volatile State state = State.CONNECTING;
    private volatile CarrierConnection carrier;
    private FrameReader reader;
    private Handshake handshake;
    private volatile HandshakeResult result;
    private final ConcurrentLinkedQueue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Connection> up = new CompletableFuture<>();
    private volatile long lastReceived = System.nanoTime();
    private volatile boolean wroteSinceTick;
    private ScheduledFuture<?> handshakeTimer;
    /** Set when another connection to the same peer takes this one's place; it then ends quietly. */
    private volatile boolean superseded;
    /** Guards {@link #successor} and the hand-over of the outbox to it. */
    private final Object sendLock = new Object();
    /** The connection that took this one's place: messages still sent here go on to it, in order. */
    private Connection successor;
    /** Set when the peer refused this attempt with nok: it waits for the peer's own attempt to take over. */
    private volatile boolean awaitingPeer;
    private volatile String closeReason;
    /** Why the carrier refused the peer's name, if it did. */
    private String carrierRefusal;
    /** Whether the carrier's outgoing buffer is full; senders wait until it drains. */
    private volatile boolean busy;
    /** Whether nothing has been received yet: the first bytes tell a TLS client apart. */
    private boolean nothingReceived = true;
    private final ReentrantLock busyLock = new ReentrantLock();
    private final Condition drained = busyLock.newCondition();

    private Connection(NodeCore node, boolean outgoing, String peerName) {
        this.node = node;
        this.outgoing = outgoing;
        this.peerName = peerName;
    }

    static Connection outgoing(NodeCore node, String peerName) {
        return new Connection(node, true, peerName);
    }

    static Connection incoming(NodeCore node) {
        return new Connection(node, false, null);
    }

    boolean isOutgoing() {
        return outgoing;
    }

    /** The carrier's connection, once there is one. */
    CarrierConnection carrier() {
        return carrier;
    }

    /** Whether this node dialled the peer. */
    boolean outgoing() {
        return outgoing;
    }

    String peerName() {
        return peerName;
    }

    State state() {
        return state;
    }

    /** Whether the connection can still carry messages: not closed, and not being closed. */
    boolean isUsable() {
        return state != State.CLOSED && closeReason == null;
    }

    HandshakeResult result() {
        return result;
    }

    /** The negotiated flags once the connection is up; 0 before. */
    long negotiatedFlags() {
        HandshakeResult r = result;
        return state == State.UP && r != null ? r.flags() : 0;
    }

    /** Completes with this connection once it is up, or exceptionally if it never comes up. */
    CompletableFuture<Connection> upFuture() {
        return up;
    }

    @Override
    public void connected(CarrierConnection connection) {
        carrier = connection;
        if (superseded) {
            // Replaced while dialling: the peer's own connection carries the traffic.
            connection.close();
            return;
        }
        state = State.HANDSHAKE;
        reader = new FrameReader(node.carrier().handshakeLengthBytes(), MAX_HANDSHAKE_FRAME);
        if (outgoing) {
            handshake = Handshake.initiate(node.name(), node.creation(), node.flags(), node.requiredFlags(),
                    node.cookie(), peerName, peer -> true, this::sendHandshake);
        } else {
            handshake = Handshake.accept(node.name(), node.creation(), node.flags(), node.requiredFlags(),
                    node.cookie(), this::admit, this::sendHandshake);
        }
        armHandshakeTimer();
        if (outgoing) {
            Optional<String> refused = connection.checkPeer(peerName);
            if (refused.isPresent()) {
                fail(refused.get());
                return;
            }
            handshake.start();
        }
    }

    /** The acceptor's decision on a peer's name: the carrier's check first, then the node's rules. */
    private String admit(String peer) {
        Optional<String> refused = carrier.checkPeer(peer);
        if (refused.isPresent()) {
            carrierRefusal = refused.get();
            return "not_allowed";
        }
        return node.admit(this, peer);
    }

    @Override
    public void received(ByteBuffer bytes) {
        lastReceived = System.nanoTime();
        Boolean outer = IN_CARRIER_EVENT.get();
        IN_CARRIER_EVENT.set(Boolean.TRUE);
        try {
            if (nothingReceived) {
                nothingReceived = false;
                if (startsTlsHandshake(bytes)) {
                    fail("the peer opened a TLS handshake, but this node's carrier (" + node.carrier().name()
                            + ") does not speak TLS; are the peer and this node on the same carrier?");
                    return;
                }
            }
            reader.read(bytes, this::frame);
        } catch (Exception e) {
            fail(describe(e));
        } finally {
            IN_CARRIER_EVENT.set(outer);
        }
    }

    /**
     * Whether an incoming connection begins with a TLS handshake record (type 22, version 3.x), as a
     * peer on {@code inet_tls_dist} sends. A distribution handshake never starts this way: its
     * first message is a send_name of a few dozen bytes, not one of 5,600 or more.
     */
    private boolean startsTlsHandshake(ByteBuffer bytes) {
        int at = bytes.position();
        return !outgoing && bytes.remaining() >= 3
                && bytes.get(at) == 0x16 && bytes.get(at + 1) == 0x03 && bytes.get(at + 2) >= 0 && bytes.get(at + 2) <= 0x04;
    }

    @Override
    public void writable(boolean writable) {
        busyLock.lock();
        try {
            busy = !writable;
            if (writable) {
                drained.signalAll();
            }
        } finally {
            busyLock.unlock();
        }
    }

    /**
     * Holds the sending thread while the carrier's buffer is full, as Erlang suspends a process
     * that sends on a busy distribution connection: a fast sender cannot queue without bound. The
     * message is already queued; an interrupt ends the wait and stays set.
     */
    private void awaitNotBusy() {
        if (!busy || IN_CARRIER_EVENT.get()) {
            return;
        }
        busyLock.lock();
        try {
            while (busy && state != State.CLOSED) {
                drained.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            busyLock.unlock();
        }
    }

    private boolean frame(ByteBuffer frame) {
        if (state == State.CLOSED || superseded || awaitingPeer) {
            // A superseded or refused attempt must not come up beside the connection that replaces it.
            return false;
        }
        try {
            if (state == State.HANDSHAKE) {
                byte[] body = new byte[frame.remaining()];
                frame.get(body);
                handshake.receive(body);
                if (handshake.isDone()) {
                    becomeUp();
                } else {
                    armHandshakeTimer();
                }
            } else if (frame.hasRemaining()) {
                DistMessage message = node.codec().decode(frame);
                node.dispatch(this, message);
            }
            return true;
        } catch (HandshakeException e) {
            if (outgoing && handshake.lostSimultaneousConnect()) {
                awaitPeersAttempt(e.getMessage());
            } else {
                fail(carrierRefusal != null ? carrierRefusal : e.getMessage());
            }
            return false;
        } catch (DistProtocolException e) {
            fail(e.getMessage());
            return false;
        }
    }

    private void becomeUp() throws HandshakeException {
        cancelHandshakeTimer();
        // The rest of the chunk being read may already hold 4-byte-framed messages.
        reader.prefixBytes(4);
        reader.maxFrameBytes(node.maxMessageBytes());
        result = handshake.result();
        peerName = result.peerName();
        state = State.UP;
        node.connectionUp(this);
        up.complete(this);
        drain();
    }

    private void sendHandshake(byte[] body) {
        ByteBuffer framed = ByteBuffer.allocate(reader.prefixBytes() + body.length);
        if (reader.prefixBytes() == 2) {
            framed.putShort((short) body.length);
        } else {
            framed.putInt(body.length);
        }
        carrier.write(framed.put(body).flip());
    }

    /** Queues a whole packet (with its length prefix) and sends it as soon as the connection is up. */
    void send(ByteBuffer packet) {
        Connection next;
        synchronized (sendLock) {
            next = successor;
            if (next == null) {
                if (state == State.CLOSED) {
                    return;
                }
                outbox.add(packet);
            }
        }
        if (next != null) {
            next.send(packet);
        } else if (state == State.UP) {
            drain();
            awaitNotBusy();
        }
    }

    private void drain() {
        while (!outbox.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                List<ByteBuffer> batch = new ArrayList<>();
                for (ByteBuffer b = outbox.poll(); b != null; b = outbox.poll()) {
                    batch.add(b);
                }
                if (!batch.isEmpty() && state == State.UP) {
                    carrier.write(batch.toArray(new ByteBuffer[0]));
                    wroteSinceTick = true;
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * Moves what this abandoned attempt had queued to the connection that replaces it, and sends
     * there whatever is still sent here. Call it before the node's table points at the replacement,
     * so that a sender's messages keep their order whichever of the two it finds.
     */
    void supersededBy(Connection replacement) {
        synchronized (sendLock) {
            superseded = true;
            successor = replacement;
            for (ByteBuffer b = outbox.poll(); b != null; b = outbox.poll()) {
                replacement.send(b);
            }
        }
        replacement.up.whenComplete((c, e) -> {
            if (e == null) {
                up.complete(c);
            } else {
                up.completeExceptionally(e);
            }
        });
        closeCarrier();
    }

    /** Called every quarter ticktime: declares a silent peer down, and ticks when idle. */
    void tick(long ticktimeNanos) {
        if (state != State.UP) {
            return;
        }
        if (System.nanoTime() - lastReceived > ticktimeNanos) {
            close("no data for " + TimeUnit.NANOSECONDS.toSeconds(ticktimeNanos) + " s (net tick time)");
            return;
        }
        if (!wroteSinceTick) {
            carrier.write(TICK.duplicate());
        }
        wroteSinceTick = false;
    }

    /** Closes the connection, logging why at INFO. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        LOG.log(System.Logger.Level.INFO, "closing connection to {0}: {1}", describePeer(), reason);
        closeCarrier();
    }

    /** Ends the connection after a protocol failure, with one WARN line naming the peer. */
    void fail(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (state != State.CLOSED) {
            LOG.log(System.Logger.Level.WARNING, "{0} connection {1} {2} failed: {3}",
                    outgoing ? "outgoing" : "incoming", outgoing ? "to" : "from", describePeer(), reason);
        }
        closeCarrier();
    }

    /** Fails a connection that never reached its carrier (the address could not be found or reached). */
    void failToConnect(String reason) {
        closeReason = reason;
        state = State.CLOSED;
        up.completeExceptionally(new java.io.IOException(reason));
        node.connectionClosed(this, reason, false);
    }

    /**
     * The peer refused this attempt with nok because its own attempt to this node wins. As OTP's
     * initiator does, keep this attempt's place and queued messages for the peer's connection,
     * which supersedes this one when it arrives; give up if it does not come within the setup time.
     */
    private void awaitPeersAttempt(String reason) {
        awaitingPeer = true;
        LOG.log(System.Logger.Level.DEBUG, "{0}; waiting for its connection", reason);
        cancelHandshakeTimer();
        handshakeTimer = node.scheduler().schedule(
                () -> giveUp(reason + ", and its own connection did not come within "
                        + node.setupTimeout().toMillis() + " ms"),
                node.setupTimeout().toNanos(), TimeUnit.NANOSECONDS);
        CarrierConnection c = carrier;
        if (c != null) {
            c.close();
        }
    }

    /** Ends an attempt that was waiting for the peer's connection, unless that connection took over. */
    private void giveUp(String reason) {
        synchronized (sendLock) {
            if (superseded || state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            outbox.clear();
        }
        cancelHandshakeTimer();
        LOG.log(System.Logger.Level.WARNING, "outgoing connection to {0} failed: {1}", describePeer(), reason);
        failToConnect(reason);
    }

    private void closeCarrier() {
        if (awaitingPeer) {
            // The carrier is gone already; what is left to end is the wait.
            giveUp(closeReason);
            return;
        }
        CarrierConnection c = carrier;
        if (c != null) {
            c.close();
        } else if (superseded) {
            // Superseded while dialling: connected() closes the carrier if one still comes. Failing
            // here would fail the callers waiting for this attempt, whom the successor serves.
            return;
        } else if (state != State.CLOSED) {
            failToConnect(closeReason);
        }
    }

    @Override
    public void closed(Throwable cause) {
        Boolean outer = IN_CARRIER_EVENT.get();
        IN_CARRIER_EVENT.set(Boolean.TRUE);
        try {
            handleClosed(cause);
        } finally {
            IN_CARRIER_EVENT.set(outer);
        }
    }

    private void handleClosed(Throwable cause) {
        if (awaitingPeer) {
            // The refused attempt's carrier: the attempt itself lives on until the peer's connection
            // supersedes it or the wait times out (see awaitPeersAttempt).
            return;
        }
        boolean wasUp = state == State.UP;
        state = State.CLOSED;
        writable(true); // releases senders waiting for a buffer that will never drain
        cancelHandshakeTimer();
        String reason = closeReason != null ? closeReason
                : cause != null ? describe(cause)
                : wasUp ? "connection closed by the peer"
                : outgoing && handshake != null && handshake.awaitingChallengeAck()
                        ? peerName + " closed the connection after this node's challenge reply: it refused"
                                + " this node's cookie (the two nodes' cookies differ)"
                : "connection closed by the peer during the handshake";
        if (!wasUp && closeReason == null && !superseded) {
            LOG.log(System.Logger.Level.WARNING, "{0} connection {1} {2} failed: {3}",
                    outgoing ? "outgoing" : "incoming", outgoing ? "to" : "from", describePeer(), reason);
        }
        if (!superseded) {
            up.completeExceptionally(new java.io.IOException(reason));
            node.connectionClosed(this, reason, wasUp);
        }
        synchronized (sendLock) {
            if (successor == null) {
                // A superseded attempt's outbox is its successor's to take, perhaps right now.
                outbox.clear();
            }
        }
    }

    private void armHandshakeTimer() {
        cancelHandshakeTimer();
        handshakeTimer = node.scheduler().schedule(
                () -> {
                    if (state == State.HANDSHAKE) {
                        fail("handshake step took longer than " + node.setupTimeout().toMillis() + " ms");
                    }
                },
                node.setupTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelHandshakeTimer() {
        ScheduledFuture<?> timer = handshakeTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private String describePeer() {
        String name = peerName != null ? peerName : handshake != null ? handshake.peerName() : null;
        CarrierConnection c = carrier;
        String address = c == null ? null : address(c);
        if (name == null) {
            return address != null ? address : "an unknown peer";
        }
        return address != null ? name + " (" + address + ")" : name;
    }

    /** The peer's address; for a peer on an unnamed Unix socket, the socket it reached. */
    private static String address(CarrierConnection c) {
        String remote = String.valueOf(c.remoteAddress());
        return remote.isEmpty() ? "a peer on " + c.localAddress() : remote;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "Connection[" + (outgoing ? "to " : "from ") + describePeer() + ", " + state + "]";
    }
}
