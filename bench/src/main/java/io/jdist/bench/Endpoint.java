package io.jdist.bench;

import io.jdist.term.Atom;
import io.jdist.term.Pid;
import java.time.Duration;

/**
 * One side of a {@link NodeBench} measurement, on a Java node or an {@code erl} node. Both kinds
 * speak the same messages (see {@code jdist_node_bench.erl}), so any sender pairs with any sink
 * and any pinger with any echo:
 *
 * <pre>
 * sender -> sink:   {start, Sender, N}, then {seq, 0, Payload} .. {seq, N - 1, Payload}
 * sink -> sender:   {ack, Sink, ok} after the last, or {ack, Sink, {error, Why}}
 * pinger -> echo:   {ping, Pinger, I}
 * echo -> pinger:   {pong, I}
 * </pre>
 *
 * <p>Calls come from the harness's one thread, one at a time.
 */
interface Endpoint {

    /** The payload of each {@code seq} message. */
    enum Payload {
        SMALL("small", 16),
        BINARY("binary", 64 * 1024);

        final Atom atom;
        final int bytes;

        Payload(String name, int bytes) {
            this.atom = Atom.of(name);
            this.bytes = bytes;
        }
    }

    /** The kind of node, for the report: {@code Java} or {@code Erlang}. */
    String kind();

    /** The node's full name. */
    String node();

    /** A process on this side that counts {@code seq} messages and acks the last; the same one every time. */
    Pid sink() throws BenchException, InterruptedException;

    /** A process on this side that answers each {@code ping} with a {@code pong}; the same one every time. */
    Pid echo() throws BenchException, InterruptedException;

    /**
     * Sends {@code count} messages with {@code payload} from a process on this side to {@code sink},
     * back to back, and waits for its ack.
     *
     * @return nanoseconds from the first message sent until the ack arrived
     */
    long send(Pid sink, Payload payload, int count) throws BenchException, InterruptedException;

    /**
     * Makes {@code count} round trips, one at a time, from a process on this side to {@code echo}.
     *
     * @return each round trip's time, in nanoseconds
     */
    long[] ping(Pid echo, int count) throws BenchException, InterruptedException;

    /**
     * Sets up {@code count} fresh connections from this side's node to {@code peer}, one at a time:
     * each time it drops the connection, gives both nodes {@link #SETTLE} to see it go, then
     * connects again and times that.
     *
     * @return each connect's time, in nanoseconds: the distribution handshake, with the TLS one
     *     on the tls carrier, and the EPMD lookup before them
     */
    long[] connect(String peer, int count) throws BenchException, InterruptedException;

    /** How long {@link #connect} waits after dropping a connection; the Erlang module waits as long. */
    Duration SETTLE = Duration.ofMillis(50);
}
