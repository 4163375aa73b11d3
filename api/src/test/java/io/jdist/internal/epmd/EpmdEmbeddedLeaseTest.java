package io.jdist.internal.epmd;

import static io.jdist.internal.epmd.EpmdTestSupport.await;
import static io.jdist.internal.epmd.EpmdTestSupport.awaitTrue;
import static io.jdist.internal.epmd.EpmdTestSupport.freePort;
import static io.jdist.internal.epmd.EpmdTestSupport.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EmbeddedEpmd}: who starts the server, who shares it, and when it stops. */
class EpmdEmbeddedLeaseTest {

    @TempDir
    Path dir;

    private final EpmdTestSupport processes = new EpmdTestSupport();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.stopAll();
    }

    @Test
    void twoLeasesShareOneServerWhichStopsWithTheLast() throws Exception {
        int port = freePort();
        EmbeddedEpmd.Lease first = EmbeddedEpmd.acquire(port);
        EmbeddedEpmd.Lease second = EmbeddedEpmd.acquire(port);
        EpmdServer server = first.server().orElseThrow();
        assertSame(server, second.server().orElseThrow());
        assertEquals(port, server.port());

        first.close();
        first.close(); // idempotent: must not take the second lease's share
        assertFalse(server.isClosed());
        assertEquals(port, second.client().names().epmdPort());

        second.close();
        // Whether the port now refuses is not checked: a parallel test may already have it.
        assertTrue(server.isClosed());
    }

    @Test
    void leaseOwnsNothingWhenAnotherEpmdAlreadyAnswers() throws Exception {
        try (EpmdServer other = EpmdServer.start(0)) {
            EmbeddedEpmd.Lease lease = EmbeddedEpmd.acquire(other.port());
            assertEquals(Optional.empty(), lease.server());
            lease.close();
            assertFalse(other.isClosed());
        }
    }

    @Test
    void leaseOwnsNothingWhenRealEpmdRuns() throws Exception {
        int port = freePort();
        processes.startRealEpmd(dir, port);
        try (EmbeddedEpmd.Lease lease = EmbeddedEpmd.acquire(port)) {
            assertEquals(Optional.empty(), lease.server());
            String name = uniqueName("viaReal");
            try (Registration r = lease.client().register(name, 41500, NodeType.HIDDEN,
                    Registration.Listener.NONE)) {
                assertEquals(lease.port(), Integer.parseInt(r.epmdAddress().split(":")[1]));
                assertTrue(lease.client().portPlease(name).isPresent());
            }
        }
    }

    @Test
    void releasingTheOwnerKeepsServingUntilTheRealErlDies() throws Exception {
        int port = freePort();
        EmbeddedEpmd.Lease lease = EmbeddedEpmd.acquire(port);
        EpmdServer server = lease.server().orElseThrow();
        String name = uniqueName("survivor");
        Process erl = processes.startErl(dir, port, name);
        await(name + " to register", () -> lease.client().names().find(name));

        lease.close();
        Thread.sleep(300);
        assertFalse(server.isClosed());
        assertTrue(lease.client().portPlease(name).isPresent(), "still served after release");

        erl.destroyForcibly();
        erl.waitFor(10, TimeUnit.SECONDS);
        awaitTrue("the server to stop with its last registration", server::isClosed);
    }

    @Test
    void acquiringWhileDrainingTakesTheServerOver() throws Exception {
        int port = freePort();
        EmbeddedEpmd.Lease first = EmbeddedEpmd.acquire(port);
        EpmdServer server = first.server().orElseThrow();
        Registration other = first.client().register(uniqueName("other"), 41600, NodeType.NORMAL,
                Registration.Listener.NONE);
        first.close();

        EmbeddedEpmd.Lease second = EmbeddedEpmd.acquire(port);
        assertSame(server, second.server().orElseThrow());
        other.close();
        awaitTrue("the registration to end", () -> server.registrations().isEmpty());
        assertFalse(server.isClosed(), "the new lease holds the server");

        second.close();
        assertTrue(server.isClosed());
    }

    @Test
    void releasedServerCanBeStartedAgainOnTheSamePort() throws Exception {
        int port = freePort();
        EmbeddedEpmd.Lease first = EmbeddedEpmd.acquire(port);
        EpmdServer old = first.server().orElseThrow();
        first.close();
        try (EmbeddedEpmd.Lease second = EmbeddedEpmd.acquire(port)) {
            EpmdServer fresh = second.server().orElseThrow();
            assertTrue(old.isClosed());
            assertFalse(fresh.isClosed());
            assertEquals(port, second.client().names().epmdPort());
        }
    }
}
