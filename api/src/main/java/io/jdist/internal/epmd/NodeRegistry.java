package io.jdist.internal.epmd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The names registered at an {@link EpmdServer}, and the creation counters of names seen before.
 *
 * <p>Creation follows OTP's epmd ({@code epmd_srv.c}): each name has a 32-bit counter that starts
 * at an arbitrary value (epmd uses the clock; we use a random number) and is bumped on every
 * registration, skipping 0..3, so that a node registering again gets a different creation and its
 * old pids are not mistaken for new ones. A registration that asks for distribution version 6
 * gets the counter itself; an older one gets {@code counter % 3 + 1}. Like epmd, the counters of
 * the last {@value #MAX_RETIRED} unregistered names are remembered. Thread-safe.
 */
final class NodeRegistry {

    /** epmd's MAX_UNREG_COUNT. */
    static final int MAX_RETIRED = 1000;

    /** Oldest first; epmd lists newest first, see {@link #entries()}. */
    private final Map<String, Slot> live = new LinkedHashMap<>();
    private final Map<String, Integer> retired = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_RETIRED;
        }
    };

    /**
     * Registers an entry, unless its name is live.
     *
     * @return the new registration, or {@code null} when the name is already registered
     */
    synchronized Slot register(NodeEntry entry) {
        if (live.containsKey(entry.name())) {
            return null;
        }
        Integer previous = retired.remove(entry.name());
        int counter = bump(previous != null ? previous : ThreadLocalRandom.current().nextInt());
        Slot slot = new Slot(entry, counter);
        live.put(entry.name(), slot);
        return slot;
    }

    /** Removes a registration if it is still live; returns whether it was. */
    synchronized boolean unregister(Slot slot) {
        if (live.get(slot.entry().name()) != slot) {
            return false; // identity: a slot is one registration, not an equal-looking one
        }
        live.remove(slot.entry().name());
        retired.put(slot.entry().name(), slot.counter());
        return true;
    }

    /** The live registration of a name. */
    synchronized Optional<NodeEntry> lookup(String name) {
        Slot slot = live.get(name);
        return slot == null ? Optional.empty() : Optional.of(slot.entry());
    }

    /** The live registrations, newest first. */
    synchronized List<NodeEntry> entries() {
        List<NodeEntry> entries = new ArrayList<>(live.size());
        live.values().forEach(slot -> entries.add(slot.entry()));
        Collections.reverse(entries);
        return entries;
    }

    /** The number of live registrations. */
    synchronized int size() {
        return live.size();
    }

    private static int bump(int counter) {
        int next = counter + 1; // wraps at 2^32 like epmd's unsigned int
        return Integer.compareUnsigned(next, 4) < 0 ? 4 : next;
    }

    /**
     * One live registration.
     *
     * @param entry what was registered
     * @param counter the name's creation counter at registration, never 0..3
     */
    record Slot(NodeEntry entry, int counter) {

        /** The creation to send back: the counter for version 6, else 1..3 for the 16-bit reply. */
        int creation() {
            if (entry.highestVersion() >= EpmdProtocol.DIST_VERSION) {
                return counter;
            }
            return Integer.remainderUnsigned(counter, 3) + 1;
        }
    }
}
