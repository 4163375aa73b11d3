package io.jdist.internal.epmd;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A live EPMD registration: the open connection over which a node registered. EPMD has no
 * unregister message; the name stays registered exactly as long as this connection is open, so
 * {@link #close()} unregisters.
 *
 * <p>A daemon thread blocks reading the connection, because that is the only way to learn that
 * EPMD went away (killed, restarted): on end of stream or a read error, while not closed by the
 * owner, the registration is lost and the {@link Listener} is called once, on that thread, so the
 * node can register again. Thread-safe.
 */
public final class Registration implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.jdist.epmd");

    private final Socket socket;
    private final NodeEntry entry;
    private final int creation;
    private final String epmdAddress;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    Registration(Socket socket, NodeEntry entry, int creation, String epmdAddress,
            Listener listener) {
        this.socket = socket;
        this.entry = entry;
        this.creation = creation;
        this.epmdAddress = epmdAddress;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts watching the connection; called once, after the registration was accepted. */
    void startWatching() {
        Thread watcher = new Thread(this::watch, "jdist-epmd-registration-" + entry.name());
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The alive name that was registered. */
    public String aliveName() {
        return entry.name();
    }

    /** Everything that was registered. */
    public NodeEntry entry() {
        return entry;
    }

    /**
     * The creation EPMD assigned: an unsigned 32-bit value in an {@code int} (from ALIVE2_X_RESP),
     * or 1..3 when EPMD answered with the 16-bit ALIVE2_RESP.
     */
    public int creation() {
        return creation;
    }

    /** The address of the EPMD holding the registration, as {@code host:port}. */
    public String epmdAddress() {
        return epmdAddress;
    }

    /** Whether the name is still registered: not closed, and EPMD has not dropped the connection. */
    public boolean isActive() {
        return !closed.get();
    }

    /** Unregisters the name by closing the connection. Idempotent; the listener is not called. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSocket();
            LOG.log(Level.INFO, "unregistered ''{0}'' from epmd at {1}", entry.name(), epmdAddress);
        }
    }

    private void watch() {
        IOException failure = null;
        try (InputStream in = socket.getInputStream()) {
            byte[] discard = new byte[64];
            // EPMD never writes on a registration connection; reading is how its end is seen.
            while (in.read(discard) >= 0) {
                continue;
            }
        } catch (IOException e) {
            failure = e;
        }
        if (!closed.compareAndSet(false, true)) {
            return; // closed by the owner: not a loss
        }
        closeSocket();
        LOG.log(Level.WARNING, "epmd at {0} closed the registration of ''{1}''{2}; the name is no"
                + " longer registered", epmdAddress, entry.name(),
                failure == null ? "" : " (" + failure.getMessage() + ")");
        try {
            listener.registrationLost(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "registration-lost listener for '" + entry.name() + "' failed", e);
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is left to release once close fails; the name is unregistered either way.
        }
    }

    @Override
    public String toString() {
        return "Registration[" + entry.name() + " at " + epmdAddress + ", creation "
                + Integer.toUnsignedString(creation) + (isActive() ? "" : ", closed") + "]";
    }

    /** Called when EPMD drops a registration that its owner had not closed. */
    @FunctionalInterface
    public interface Listener {

        /** A listener that does nothing, for owners that do not re-register. */
        Listener NONE = registration -> { };

        /**
         * The registration is gone; the node is no longer findable through this EPMD. Called at
         * most once, on the registration's watcher thread; may register again from here.
         */
        void registrationLost(Registration registration);
    }
}
