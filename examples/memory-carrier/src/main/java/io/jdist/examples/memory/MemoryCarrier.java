package io.jdist.examples.memory;

import io.jdist.carrier.Carrier;
import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.CarrierServer;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Connections between carriers of one JVM as in-process byte pipes. A server is an entry in a
 * JVM-wide table of listening addresses; a connection is a pair of {@link MemoryConnection} ends,
 * each delivering its handler's events on its own carrier's threads.
 */
final class MemoryCarrier implements Carrier {

    private static final System.Logger LOG = System.getLogger("io.jdist.examples.memory");
    /** Every listening address of the JVM: what the network is to a socket carrier. */
    private static final ConcurrentMap<MemoryAddress, Listener> LISTENING = new ConcurrentHashMap<>();
    /** Guards every memory carrier's {@link #closed} and its registering of servers and connections. */
    private static final Object BOOKKEEPING = new Object();
    private static final AtomicLong DIALLERS = new AtomicLong();

    private final int bufferBytes;
    private final ExecutorService events;
    private final Set<MemoryConnection> connections = ConcurrentHashMap.newKeySet();
    private boolean closed; // guarded by BOOKKEEPING

    private record Listener(MemoryCarrier carrier, Supplier<ConnectionHandler> handlers) {
    }

    MemoryCarrier(int bufferBytes) {
        this.bufferBytes = bufferBytes;
        AtomicLong threads = new AtomicLong();
        this.events = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "jdist-memory-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LOG.log(System.Logger.Level.DEBUG, "memory carrier: busy past {0} bytes for a peer", bufferBytes);
    }

    static boolean isListening(MemoryAddress address) {
        return LISTENING.containsKey(address);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public int handshakeLengthBytes() {
        return 2;
    }

    @Override
    public Optional<Discovery> discovery() {
        return Optional.of(new MemoryDiscovery());
    }

    @Override
    public CarrierServer listen(SocketAddress address, Supplier<ConnectionHandler> handlers) throws IOException {
        if (!(address instanceof MemoryAddress at)) {
            throw new IOException("cannot listen on " + address + ": the memory carrier takes a MemoryAddress");
        }
        Listener listener = new Listener(this, handlers);
        synchronized (BOOKKEEPING) {
            if (closed) {
                throw new IOException("cannot listen on " + at + ": the carrier is closed");
            }
            if (LISTENING.putIfAbsent(at, listener) != null) {
                throw new IOException("cannot listen on " + at + ": the address is in use");
            }
        }
        return new CarrierServer() {
            @Override
            public SocketAddress localAddress() {
                return at;
            }

            @Override
            public void close() {
                LISTENING.remove(at, listener);
            }
        };
    }

    @Override
    public CompletionStage<CarrierConnection> connect(SocketAddress address, ConnectionHandler handler) {
        Listener listener = LISTENING.get(address);
        if (listener == null) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + address + ": nothing listens"
                    + " there"));
        }
        MemoryAddress to = (MemoryAddress) address;
        MemoryAddress from = MemoryAddress.of("dialler-" + DIALLERS.incrementAndGet());
        MemoryConnection dialling = new MemoryConnection(this, handler, from, to);
        MemoryConnection accepted = new MemoryConnection(listener.carrier(), listener.handlers().get(), to, from);
        CompletableFuture<CarrierConnection> dialled = new CompletableFuture<>();
        MemoryConnection.join(dialling, dialled, accepted);
        // Once registered, a closing carrier closes the ends: after connected, which is queued already.
        synchronized (BOOKKEEPING) {
            if (closed || listener.carrier().closed) {
                return CompletableFuture.failedFuture(new IOException("cannot connect to " + address
                        + ": a carrier is closed"));
            }
            connections.add(dialling);
            listener.carrier().connections.add(accepted);
        }
        accepted.start();
        dialling.start();
        return dialled;
    }

    /** Forgets a connection once its end has closed. */
    void forget(MemoryConnection connection) {
        connections.remove(connection);
    }

    /** Runs a connection's deliveries. @throws java.util.concurrent.RejectedExecutionException once closed */
    void execute(Runnable deliveries) {
        events.execute(deliveries);
    }

    int bufferBytes() {
        return bufferBytes;
    }

    @Override
    public void close() {
        synchronized (BOOKKEEPING) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LISTENING.values().removeIf(listener -> listener.carrier() == this);
        connections.forEach(MemoryConnection::close);
        // Runs the deliveries already queued, each connection's closed among them; then the threads end.
        events.shutdown();
    }
}
