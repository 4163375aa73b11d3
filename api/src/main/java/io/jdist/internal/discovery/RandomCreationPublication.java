package io.jdist.internal.discovery;

import io.jdist.carrier.Discovery;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/** A publication whose creation is random, for discoveries without EPMD to hand creations out. */
public final class RandomCreationPublication implements Discovery.Publication {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int creation;
    private final Runnable withdraw;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param withdraw takes the name back, on the first {@link #close()} only */
    public RandomCreationPublication(Runnable withdraw) {
        // Random so that two incarnations of a name almost never share one: the creation is what
        // tells a stale pid from a live one. Never 0, which means "no creation" on the wire.
        int chosen = 0;
        while (chosen == 0) {
            chosen = RANDOM.nextInt();
        }
        this.creation = chosen;
        this.withdraw = withdraw;
    }

    @Override
    public int creation() {
        return creation;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            withdraw.run();
        }
    }
}
