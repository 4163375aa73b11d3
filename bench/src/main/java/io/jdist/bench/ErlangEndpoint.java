package io.jdist.bench;

import io.jdist.Mailbox;
import io.jdist.term.Atom;
import io.jdist.term.Binary;
import io.jdist.term.ErlList;
import io.jdist.term.Int;
import io.jdist.term.Pid;
import io.jdist.term.Ref;
import io.jdist.term.Term;
import io.jdist.term.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Erlang side of a measurement, on an {@code erl} node running {@code jdist_node_bench}: every
 * operation is a request to that node's {@code jdist_node_bench} server, sent from a control
 * mailbox on a Java node, and the Erlang processes do the sending, pinging and timing themselves.
 */
final class ErlangEndpoint implements Endpoint {

    private static final Atom SERVER = Atom.of("jdist_node_bench");
    private static final Atom CALL = Atom.of("call");
    private static final Atom REPLY = Atom.of("reply");
    /** Enough for any run of sensible size on a slow machine; the Erlang side gives up sooner. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    private final String node;
    private final Mailbox control;
    private final Supplier<Ref> refs;
    private Pid sink;
    private Pid echo;

    /**
     * @param node the {@code erl} node's full name
     * @param control the mailbox that sends requests and receives their replies; the harness's
     *     only user of it
     * @param refs makes the tags that match replies to requests
     */
    ErlangEndpoint(String node, Mailbox control, Supplier<Ref> refs) {
        this.node = node;
        this.control = control;
        this.refs = refs;
    }

    @Override
    public String kind() {
        return "Erlang";
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public Pid sink() throws BenchException, InterruptedException {
        if (sink == null) {
            sink = pid(call(Atom.of("sink"), Duration.ofSeconds(10)));
        }
        return sink;
    }

    @Override
    public Pid echo() throws BenchException, InterruptedException {
        if (echo == null) {
            echo = pid(call(Atom.of("echo"), Duration.ofSeconds(10)));
        }
        return echo;
    }

    @Override
    public long send(Pid to, Payload payload, int count) throws BenchException, InterruptedException {
        Term elapsed = call(Tuple.of(Atom.of("send"), to, payload.atom, Int.of(count)), RUN_TIMEOUT);
        if (!(elapsed instanceof Int nanos)) {
            throw new BenchException("expected a time in nanoseconds from " + node + " but got " + elapsed);
        }
        return nanos.value();
    }

    @Override
    public long[] ping(Pid to, int count) throws BenchException, InterruptedException {
        Term reply = call(Tuple.of(Atom.of("ping"), to, Int.of(count)), RUN_TIMEOUT);
        if (!(reply instanceof ErlList list) || list.size() != count) {
            throw new BenchException("expected " + count + " round-trip times from " + node + " but got "
                    + abbreviate(reply));
        }
        return nanos(list);
    }

    private static long[] nanos(ErlList list) {
        long[] times = new long[list.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = ((Int) list.get(i)).value();
        }
        return times;
    }

    @Override
    public long[] connect(String peer, int count) throws BenchException, InterruptedException {
        Term reply = call(Tuple.of(Atom.of("connects"), Atom.of(peer), Int.of(count)), RUN_TIMEOUT);
        if (!(reply instanceof ErlList list) || list.size() != count) {
            throw new BenchException("expected " + count + " connect times from " + node + " but got " + abbreviate(reply));
        }
        return nanos(list);
    }

    /** {@code {OtpRelease, ErtsVersion, Schedulers}} of the node. */
    Tuple info(Duration timeout) throws BenchException, InterruptedException {
        Term info = call(Atom.of("info"), timeout);
        if (!(info instanceof Tuple t && t.arity() == 3)) {
            throw new BenchException("expected {OtpRelease, ErtsVersion, Schedulers} from " + node + " but got " + info);
        }
        return t;
    }

    /** Makes the node connect to {@code other}, as {@code net_adm:ping/1}. */
    void connect(String other) throws BenchException, InterruptedException {
        call(Tuple.of(Atom.of("connect"), Atom.of(other)), Duration.ofSeconds(15));
    }

    /**
     * Sends {@code {call, Control, Tag, Request}} to the node's server and waits for {@code
     * {reply, Tag, {ok, Value}}}; replies to earlier, abandoned requests are skipped.
     */
    private Term call(Term request, Duration timeout) throws BenchException, InterruptedException {
        Ref tag = refs.get();
        control.send(SERVER.name(), node, Tuple.of(CALL, control.self(), tag, request));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Term> message = control.receive(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (message.isEmpty()) {
                throw new BenchException("no answer from " + node + " to " + request + " within "
                        + timeout.toMillis() + " ms");
            }
            if (message.get() instanceof Tuple t && t.arity() == 3 && t.get(0).equals(REPLY) && t.get(1).equals(tag)) {
                if (t.get(2) instanceof Tuple result && result.arity() == 2) {
                    if (result.get(0).equals(Atom.OK)) {
                        return result.get(1);
                    }
                    if (result.get(0).equals(Atom.ERROR) && result.get(1) instanceof Binary text) {
                        throw new BenchException(node + " failed " + request + ": " + text.utf8());
                    }
                }
                throw new BenchException("unexpected reply from " + node + ": " + abbreviate(t.get(2)));
            }
        }
    }

    private Pid pid(Term term) throws BenchException {
        if (term instanceof Pid pid) {
            return pid;
        }
        throw new BenchException("expected a pid from " + node + " but got " + term);
    }

    private static String abbreviate(Term term) {
        String text = String.valueOf(term);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
