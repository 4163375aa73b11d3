package io.jdist.testing.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jdist.Mailbox;
import io.jdist.NoConnectionException;
import io.jdist.Node;
import io.jdist.internal.handshake.DistFlags;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.LogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The node interop suite: a jdist {@link Node} on one carrier against a real {@code erl}, through
 * the public API only. A carrier's test subclasses it and says which carrier it is; carriers whose
 * {@code erl} needs more than {@code -sname} (TLS, Unix sockets) override {@link #erlangNode} and,
 * if need be, {@link #openRawConnection}. How nodes are made and stopped is {@link
 * AbstractInteropSuite}'s. Two Java nodes over a carrier are the carrier kit's node suite
 * ({@code io.jdist.carrier.tck.AbstractNodeConformanceTest}), which any carrier can run.
 */
public abstract class AbstractNodeInteropTest extends AbstractInteropSuite {

    private static final Atom HELLO = Atom.of("hello");
    private static final Atom PONG = Atom.of("pong");
    private static final Atom PANG = Atom.of("pang");
    private static final Atom SEQ = Atom.of("seq");
    private static final Atom FORWARDED = Atom.of("forwarded");
    private static final int SEQUENCE_LENGTH = 100_000;

    // What a carrier's subclass says, besides AbstractInteropSuite's hooks.

    /** A connection to {@code node}'s listening endpoint that carries raw bytes; for TCP, a socket. */
    protected RawConnection openRawConnection(Node node) throws IOException {
        return RawConnection.tcp(new InetSocketAddress(hostAddress(), listenPort(node)));
    }

    /** The width of the handshake's length prefix on this carrier: 2 on plain streams. */
    protected int handshakeLengthBytes() {
        return 2;
    }

    // 1. Connecting.

    @Test
    void erlangConnectsToJava() {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");

        assertEquals(Atom.TRUE, erl.eval("net_kernel:connect_node(" + atom(java) + ")"));

        eventually("Java lists " + erl.name(), () -> java.nodes().contains(erl.name()));
        assertEquals(List.of(erl.name()), java.nodes());
        assertErlangLists(erl, java);
    }

    @Test
    void javaConnectsToErlang() throws InterruptedException {
        Node java = startJava("java");
        NodeEvents events = NodeEvents.of(java);
        ErlangNode erl = startErlang("erl");

        assertTrue(java.connect(erl.name()), "connect to " + erl.name());

        assertEquals(List.of(erl.name()), java.nodes());
        assertEquals(erl.name(), events.awaitUp(RECEIVE_TIMEOUT).node());
        assertErlangLists(erl, java);
    }

    /** Erlang lists a Java node among its hidden nodes, as it does JInterface nodes. */
    private static void assertErlangLists(ErlangNode erl, Node java) {
        assertEquals(Atom.TRUE, erl.eval("lists:member(" + atom(java) + ", nodes(hidden))"),
                "Erlang's nodes(hidden) lists " + java.name());
        assertEquals(Atom.FALSE, erl.eval("lists:member(" + atom(java) + ", nodes())"),
                "a Java node is hidden, so Erlang's nodes() does not list it");
    }

    // 2. Ping.

    @Test
    void netAdmPingGivesPongBothWays() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        String nobody = "nobody_" + suffix() + "@" + host(erl.name());

        assertEquals(PONG, erl.eval("net_adm:ping(" + atom(java) + ")"));
        assertTrue(java.ping(erl.name()), "ping " + erl.name());

        assertEquals(PANG, erl.eval("net_adm:ping(" + ErlangNode.atom(nobody) + ")"));
        assertFalse(java.ping(nobody), "ping " + nobody);
        assertEquals(List.of(erl.name()), java.nodes());
    }

    // 3. The seed walk-through: registered names both ways, disconnect, automatic reconnect.

    @Test
    void registeredNamesReachEachOtherAndASendAfterDisconnectReconnects() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox mbox = java.createMailbox("my_mbox");

        assertEquals(HELLO, erl.eval("{my_mbox, " + atom(java) + "} ! hello"));
        assertEquals(HELLO, receive(mbox));

        erl.eval("jdist_node_peer:forwarder(echo, {my_mbox, " + atom(java) + "})");
        mbox.send("echo", erl.name(), Tuple.of(Atom.of("ping"), 1));
        assertEquals(Tuple.of(FORWARDED, Tuple.of(Atom.of("ping"), 1)), receive(mbox));

        assertTrue(java.disconnect(erl.name()), "disconnect " + erl.name());
        assertEquals(List.of(), java.nodes());
        eventually("Erlang no longer lists " + java.name(),
                () -> erl.eval("lists:member(" + atom(java) + ", nodes(hidden))").equals(Atom.FALSE));

        mbox.send("echo", erl.name(), Tuple.of(Atom.of("ping"), 2));
        assertEquals(Tuple.of(FORWARDED, Tuple.of(Atom.of("ping"), 2)), receive(mbox));
        assertEquals(List.of(erl.name()), java.nodes());
    }

    // 4. Cookies.

    @Test
    void wrongCookieIsRefusedBothWays() throws InterruptedException {
        LogCapture logs = captureLogs();
        Node java = startJava("java");
        String wrongCookie = "wrong-cookie-" + Long.toHexString(RANDOM.nextLong());
        ErlangNode stranger = startErlang("stranger", b -> b.cookie(wrongCookie));
        ErlangNode friend = startErlang("friend");

        assertFalse(java.connect(stranger.name()), "connect to " + stranger.name() + " with another cookie");
        assertConnectSaysTheCookieWasRefused(java, stranger.name());
        logs.await(e -> e.isWarning() && e.text().contains(stranger.name()), RECEIVE_TIMEOUT,
                "warning about the refused connection to " + stranger.name());
        long warningsBefore = warningsNaming(logs, stranger.name());

        assertEquals(PANG, stranger.eval("net_adm:ping(" + atom(java) + ")"));
        logs.await(e -> warningsNaming(logs, stranger.name()) > warningsBefore, RECEIVE_TIMEOUT,
                "warning about the refused connection from " + stranger.name());
        assertEquals(List.of(), java.nodes());
        assertEquals(Atom.FALSE, stranger.eval("lists:member(" + atom(java) + ", nodes(hidden))"));

        assertTrue(java.connect(friend.name()), "connect to " + friend.name() + " with the right cookie");
        assertEquals(PONG, friend.eval("net_adm:ping(" + atom(java) + ")"));
        assertEquals(List.of(friend.name()), java.nodes());

        assertNoCookieLogged(logs, cookie, wrongCookie);
    }

    /** {@link Node#connectOrThrow} tells a person what {@link Node#connect}'s {@code false} does not. */
    private static void assertConnectSaysTheCookieWasRefused(Node node, String peer) {
        NoConnectionException e = assertThrows(NoConnectionException.class, () -> node.connectOrThrow(peer));
        assertEquals("cannot connect to " + peer + ": " + peer + " closed the connection after this node's challenge"
                + " reply: it refused this node's cookie (the two nodes' cookies differ)", e.getMessage());
    }

    private static long warningsNaming(LogCapture logs, String node) {
        return logs.warnings().stream().filter(e -> e.text().contains(node)).count();
    }

    private static void assertNoCookieLogged(LogCapture logs, String... cookies) {
        for (LogCapture.Entry e : logs.entries()) {
            for (String c : cookies) {
                if (e.text().contains(c)) {
                    fail("a log line holds a cookie: " + e.logger() + ": " + e.text());
                }
            }
        }
    }

    // 5. Volume and order.

    @Test
    void hundredThousandMessagesEachWayArriveInOrder() throws InterruptedException {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        Mailbox report = java.createMailbox("seq_report");
        Mailbox sink = java.createMailbox("seq_sink");

        erl.eval("jdist_node_peer:check_sequence(seq_checker, " + SEQUENCE_LENGTH + ", {seq_report, "
                + atom(java) + "})");
        for (int i = 0; i < SEQUENCE_LENGTH; i++) {
            report.send("seq_checker", erl.name(), Tuple.of(SEQ, i));
        }
        assertEquals(Tuple.of(Atom.of("sequence_checked"), Atom.of("seq_checker"),
                Tuple.of(Atom.OK, SEQUENCE_LENGTH)), receive(report, Duration.ofSeconds(60)));

        assertEquals(Atom.OK, erl.eval("jdist_node_peer:send_sequence({seq_sink, " + atom(java) + "}, "
                + SEQUENCE_LENGTH + ")", Duration.ofSeconds(60)));
        assertSequence(sink);
    }

    private static void assertSequence(Mailbox sink) throws InterruptedException {
        for (int i = 0; i < SEQUENCE_LENGTH; i++) {
            Optional<Term> message = sink.receive(RECEIVE_TIMEOUT);
            if (message.isEmpty()) {
                fail("expected {seq, " + i + "} but nothing came within " + RECEIVE_TIMEOUT.toSeconds() + " s");
            }
            Term expected = Tuple.of(SEQ, i);
            if (!expected.equals(message.get())) {
                fail("expected " + expected + " but got " + message.get() + "; " + rest(sink, message.get()));
            }
        }
        assertEquals(Optional.empty(), sink.poll(), "no message after the sequence");
    }

    /** Describes what else arrived, for a failure message. */
    private static String rest(Mailbox sink, Term first) throws InterruptedException {
        java.util.List<Long> seen = new java.util.ArrayList<>();
        seen.add(((Int) ((Tuple) first).get(1)).value());
        for (Optional<Term> m = sink.receive(Duration.ofSeconds(2)); m.isPresent(); m = sink.receive(Duration.ofSeconds(2))) {
            seen.add(((Int) ((Tuple) m.get()).get(1)).value());
        }
        StringBuilder runs = new StringBuilder();
        long start = seen.get(0);
        long prev = start;
        for (int i = 1; i <= seen.size(); i++) {
            if (i == seen.size() || seen.get(i) != prev + 1) {
                runs.append(start).append("..").append(prev).append(' ');
                if (i < seen.size()) {
                    start = seen.get(i);
                    prev = start;
                }
            } else {
                prev = seen.get(i);
            }
        }
        return "then " + seen.size() + " messages in runs " + runs;
    }

    // 6 and 7. Failure detection.

    @Test
    void killingErlGivesNodeDownWithinASecond() throws InterruptedException {
        Node java = startJava("java");
        NodeEvents events = NodeEvents.of(java);
        ErlangNode erl = startErlang("erl");
        assertTrue(java.connect(erl.name()), "connect to " + erl.name());

        long killed = System.nanoTime();
        erl.kill();

        NodeEvents.Event down = events.awaitDown(Duration.ofSeconds(10));
        assertEquals(erl.name(), down.node());
        assertFaster(Duration.ofSeconds(1), down.nanoTime() - killed, "nodeDown after SIGKILL");
        assertFalse(java.nodes().contains(erl.name()), "nodes() still lists the killed node: " + java.nodes());
    }

    @Test
    void aSenderToAPeerThatStoppedReadingWaitsInsteadOfQueueingWithoutBound() throws Exception {
        Node java = startJava("java");
        ErlangNode erl = startErlang("erl");
        erl.eval("register(sink, spawn(fun() -> Count = fun(Self, N) -> receive {count, From} -> From ! {count, N},"
                + " Self(Self, N); _ -> Self(Self, N + 1) end end, Count(Count, 0) end)), ok");
        assertTrue(java.connect(erl.name()), "connect to " + erl.name());
        int messages = 2000; // 128 MiB of 64 KiB binaries, far more than socket buffers hold
        Binary chunk = Binary.of(new byte[64 * 1024]);
        AtomicInteger sent = new AtomicInteger();
        Mailbox sender = java.createMailbox();

        erl.suspend();
        Thread sending = new Thread(() -> {
            for (int i = 0; i < messages; i++) {
                sender.send("sink", erl.name(), chunk);
                sent.incrementAndGet();
            }
        }, "sender to a stopped peer");
        sending.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sending.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(Thread.State.WAITING, sending.getState(), () -> "the sender never waited for the full"
                    + " connection; after " + sent.get() + " sends it is at "
                    + Arrays.toString(sending.getStackTrace()));
            Thread.sleep(500);
            int queued = sent.get();
            assertTrue(queued < messages / 2, queued + " of " + messages + " sends returned while the peer read nothing");
            assertEquals(Thread.State.WAITING, sending.getState(), "the sender went on");
        } finally {
            erl.resume();
        }

        sending.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(messages, sent.get(), "every send returned once the peer read again");
        try (Mailbox asker = java.createMailbox()) {
            asker.send("sink", erl.name(), Tuple.of(Atom.of("count"), asker.self()));
            assertEquals(Tuple.of(Atom.of("count"), Int.of(messages)), receive(asker, Duration.ofSeconds(30)),
                    "messages the peer received");
        }
    }

    @Test
    void silentPeerIsDetectedWithinTicktime() throws InterruptedException {
        Duration ticktime = Duration.ofSeconds(4);
        Node java = startJava("java", c -> c.ticktime(ticktime));
        NodeEvents events = NodeEvents.of(java);
        ErlangNode erl = startErlang("erl", b -> b.ticktime(ticktime));
        assertTrue(java.connect(erl.name()), "connect to " + erl.name());

        // An idle but healthy connection outlives the ticktime both ways: each side ticks.
        Thread.sleep(ticktime.toMillis() * 3 / 2);
        assertEquals(Optional.empty(), events.pollDown(), "nodeDown on an idle connection");
        assertEquals(List.of(erl.name()), java.nodes());
        assertEquals(Atom.TRUE, erl.eval("lists:member(" + atom(java) + ", nodes(hidden))"),
                "Erlang kept the idle connection");

        long stopped = System.nanoTime();
        erl.suspend();

        NodeEvents.Event down = events.awaitDown(ticktime.multipliedBy(4));
        assertEquals(erl.name(), down.node());
        assertFaster(ticktime.multipliedBy(2), down.nanoTime() - stopped, "nodeDown after SIGSTOP");
        assertEquals(List.of(), java.nodes());
    }

    private static void assertFaster(Duration limit, long nanos, String what) {
        assertTrue(nanos < limit.toNanos(), what + " took " + TimeUnit.NANOSECONDS.toMillis(nanos)
                + " ms; expected less than " + limit.toMillis() + " ms");
    }

    // 8. Bad peers.

    @Test
    void nodeSurvivesBadPeers() throws Exception {
        LogCapture logs = captureLogs();
        Duration setupTimeout = Duration.ofSeconds(2);
        Node java = startJava("java", c -> c.setupTimeout(setupTimeout));
        NodeEvents events = NodeEvents.of(java);
        ErlangNode erl = startErlang("erl");
        Node peer = startJava("java_peer");
        Mailbox mbox = java.createMailbox("my_mbox");
        Mailbox peerEcho = peer.createMailbox("echo");
        erl.eval("jdist_node_peer:forwarder(echo, {my_mbox, " + atom(java) + "})");
        assertTrue(java.connect(erl.name()), "connect to " + erl.name());
        assertTrue(java.connect(peer.name()), "connect to " + peer.name());

        String intruder = "intruder_" + suffix() + "@" + host(java.name());
        byte[] garbage = new byte[998];
        RANDOM.nextBytes(garbage);
        garbage[0] = (byte) 0xFF; // no handshake message has this tag
        // Malformed input is refused as soon as it is read, well before the setup timeout; a peer
        // that says too little is dropped when the handshake step times out.
        Duration atOnce = Duration.ofSeconds(1);
        Duration afterSetupTimeout = setupTimeout.plusSeconds(3);
        List<BadPeer> badPeers = List.of(
                new BadPeer("random bytes", frame(garbage), atOnce),
                new BadPeer("an empty handshake frame", frame(new byte[0]), atOnce),
                new BadPeer("an unknown handshake message", frame(new byte[] {'x', 1, 2, 3}), atOnce),
                new BadPeer("a send_name whose name runs past its frame",
                        frame(sendName(intruder, 200, intruder.length())), atOnce),
                new BadPeer("a send_name of a name without @", frame(sendName("intruder", 0, -1)), atOnce),
                new BadPeer("an HTTP request", "GET / HTTP/1.1\r\nHost: jdist\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        afterSetupTimeout),
                new BadPeer("a send_name alone, then silence", frame(sendName(intruder, 0, -1)), afterSetupTimeout));
        for (BadPeer bad : badPeers) {
            long warnings = logs.warnings().size();
            try (RawConnection raw = openRawConnection(java)) {
                raw.write(bad.bytes());
                assertTrue(raw.closedByPeerWithin(bad.closedWithin()), "the node did not close within "
                        + bad.closedWithin().toMillis() + " ms a connection that sent " + bad.description());
            }
            logs.await(e -> logs.warnings().size() > warnings, RECEIVE_TIMEOUT,
                    "warning about a connection that sent " + bad.description());
        }
        long warnings = logs.warnings().size();
        try (RawConnection raw = openRawConnection(java)) {
            sendWrongDigest(raw, intruder);
            assertTrue(raw.closedByPeerWithin(RECEIVE_TIMEOUT), "the node did not close a connection that sent "
                    + "a challenge reply with a wrong digest");
        }
        logs.await(e -> logs.warnings().size() > warnings && e.isWarning() && e.text().contains(intruder),
                RECEIVE_TIMEOUT, "warning naming " + intruder);
        // Connects and leaves at once: nothing to refuse.
        openRawConnection(java).close();

        assertEquals(Optional.empty(), events.pollDown(), "an established connection went down");
        assertEquals(List.of(erl.name(), peer.name()).stream().sorted().toList(), java.nodes());
        mbox.send("echo", erl.name(), Tuple.of(Atom.of("ping"), 1));
        assertEquals(Tuple.of(FORWARDED, Tuple.of(Atom.of("ping"), 1)), receive(mbox));
        mbox.send("echo", peer.name(), Tuple.of(Atom.of("ping"), 2));
        assertEquals(Tuple.of(Atom.of("ping"), 2), receive(peerEcho));
        assertEquals(PONG, erl.eval("net_adm:ping(" + atom(java) + ")"));
        Node newcomer = startJava("newcomer");
        assertTrue(newcomer.ping(java.name()), "a new peer connects after the bad ones");
    }

    private record BadPeer(String description, byte[] bytes, Duration closedWithin) {
    }

    /**
     * A send_name ({@code 'N'}, OTP 23+): flags, creation, name length, name. {@code extraLength}
     * is added to the name length field; {@code truncateTo} (if not negative) cuts the name bytes.
     */
    private static byte[] sendName(String name, int extraLength, int truncateTo) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int written = truncateTo < 0 ? nameBytes.length : Math.min(truncateTo, nameBytes.length);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 2 + written);
        b.put((byte) 'N').putLong(DistFlags.MANDATORY_25 | DistFlags.MANDATORY_25_DIGEST).putInt(0x1234)
                .putShort((short) (nameBytes.length + extraLength)).put(nameBytes, 0, written);
        return b.array();
    }

    /** A well-formed handshake up to the challenge reply, whose digest is wrong. */
    private void sendWrongDigest(RawConnection raw, String name) throws IOException, InterruptedException {
        raw.write(frame(sendName(name, 0, -1)));
        byte[] status = readFrame(raw);
        assertEquals("sok", new String(status, StandardCharsets.US_ASCII), "status for " + name);
        byte[] challenge = readFrame(raw);
        assertEquals('N', challenge[0], "challenge message tag");
        ByteBuffer reply = ByteBuffer.allocate(1 + 4 + 16);
        reply.put((byte) 'r').putInt(0x5eed).put(new byte[16]);
        raw.write(frame(reply.array()));
    }

    private byte[] frame(byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(handshakeLengthBytes() + body.length);
        if (handshakeLengthBytes() == 2) {
            b.putShort((short) body.length);
        } else {
            b.putInt(body.length);
        }
        return b.put(body).array();
    }

    private byte[] readFrame(RawConnection raw) throws InterruptedException {
        ByteBuffer header = ByteBuffer.wrap(raw.read(handshakeLengthBytes(), RECEIVE_TIMEOUT));
        int length = handshakeLengthBytes() == 2 ? Short.toUnsignedInt(header.getShort()) : header.getInt();
        return raw.read(length, RECEIVE_TIMEOUT);
    }

    // Helpers.

    private static String host(String nodeName) {
        return nodeName.substring(nodeName.indexOf('@') + 1);
    }
}
