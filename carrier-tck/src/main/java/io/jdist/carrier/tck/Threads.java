package io.jdist.carrier.tck;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Which threads a carrier or a node leaves running: the suites' check that close() releases them. */
final class Threads {

    private Threads() {
    }

    /** The threads alive now. */
    static Set<Thread> live() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /**
     * Waits until every thread that was not alive in {@code before} has ended, apart from the JVM's
     * shared ones, which no carrier owns.
     *
     * @throws AssertionError naming the threads still running after {@code within}
     */
    static void assertEnded(Set<Thread> before, Duration within, String after) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Set<Thread> left = started(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = started(before);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("threads still running " + within.toMillis() + " ms after " + after + ": "
                    + left.stream().map(Thread::getName).sorted().toList());
        }
    }

    private static Set<Thread> started(Set<Thread> before) {
        return live().stream().filter(t -> !before.contains(t) && !shared(t)).collect(Collectors.toSet());
    }

    /** The common pool, and the JDK's own threads (its system thread group): the JVM's, not a carrier's. */
    private static boolean shared(Thread t) {
        ThreadGroup group = t.getThreadGroup();
        return t.getName().startsWith("ForkJoinPool.commonPool-") || group != null && group.getName().equals("system");
    }
}
