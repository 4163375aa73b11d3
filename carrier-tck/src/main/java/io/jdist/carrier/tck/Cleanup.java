package io.jdist.carrier.tck;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test opened, closed after it, last first; a failure to close is rethrown once all are. */
final class Cleanup {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Closes {@code resource} after the test, before what was added earlier. */
    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    void closeAll() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
