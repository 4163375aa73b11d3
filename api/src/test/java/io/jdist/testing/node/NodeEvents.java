package io.jdist.testing.node;

import io.jdist.Node;
import io.jdist.NodeListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a node's {@link NodeListener} events with the time each arrived, for tests to await. */
final class NodeEvents implements NodeListener {

    /** One event: {@code up} or not, the peer, the reason of a down, and {@link System#nanoTime()} on arrival. */
    record Event(boolean up, String node, String reason, long nanoTime) {
    }

    private final BlockingQueue<Event> ups = new LinkedBlockingQueue<>();
    private final BlockingQueue<Event> downs = new LinkedBlockingQueue<>();

    private NodeEvents() {
    }

    /** Starts recording {@code node}'s events. */
    static NodeEvents of(Node node) {
        NodeEvents events = new NodeEvents();
        node.addListener(events);
        return events;
    }

    @Override
    public void nodeUp(String node) {
        ups.add(new Event(true, node, null, System.nanoTime()));
    }

    @Override
    public void nodeDown(String node, String reason) {
        downs.add(new Event(false, node, reason, System.nanoTime()));
    }

    /** The next nodeUp. @throws AssertionError if none comes within {@code timeout} */
    Event awaitUp(Duration timeout) throws InterruptedException {
        return await(ups, timeout, "nodeUp");
    }

    /** The next nodeDown. @throws AssertionError if none comes within {@code timeout} */
    Event awaitDown(Duration timeout) throws InterruptedException {
        return await(downs, timeout, "nodeDown");
    }

    /** The next nodeDown if one has come, without waiting. */
    Optional<Event> pollDown() {
        return Optional.ofNullable(downs.poll());
    }

    private static Event await(BlockingQueue<Event> queue, Duration timeout, String what) throws InterruptedException {
        Event event = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms");
        }
        return event;
    }
}
