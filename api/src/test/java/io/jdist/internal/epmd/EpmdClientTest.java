package io.jdist.internal.epmd;

import static io.jdist.internal.epmd.EpmdTestSupport.awaitTrue;
import static io.jdist.internal.epmd.EpmdTestSupport.freePort;
import static io.jdist.internal.epmd.EpmdTestSupport.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EpmdClient} against a real {@code epmd -port N}, owned by the test. */
class EpmdClientTest {

    @TempDir
    Path dir;

    private final EpmdTestSupport processes = new EpmdTestSupport();
    private Process epmd;
    private EpmdClient client;

    /** Started by each test that needs it, so the others run without OTP installed. */
    private void startEpmd() throws Exception {
        int port = freePort();
        epmd = processes.startRealEpmd(dir, port);
        client = EpmdClient.builder().port(port).readTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopEpmd() throws InterruptedException {
        processes.stopAll();
    }

    @Test
    void registeredNodeIsFoundByPortPleaseAndNames() throws Exception {
        startEpmd();
        String name = uniqueName("reg");
        try (Registration registration = client.register(name, 40123, NodeType.NORMAL,
                Registration.Listener.NONE)) {
            // epmd's v6 creations start from the clock, far above the 1..3 of the old protocol.
            assertTrue(Integer.toUnsignedLong(registration.creation()) > 3);

            NodeEntry entry = client.portPlease(name).orElseThrow();
            assertEquals(NodeEntry.of(name, 40123, NodeType.NORMAL), entry);

            EpmdNames names = client.names();
            assertEquals(client.port(), names.epmdPort());
            assertEquals(Optional.of(new EpmdNames.Entry(name, 40123)), names.find(name));
        }
    }

    @Test
    void hiddenNodeTypeIsEchoedBack() throws Exception {
        startEpmd();
        String name = uniqueName("hidden");
        try (Registration registration = client.register(name, 40124, NodeType.HIDDEN,
                Registration.Listener.NONE)) {
            assertEquals(72, client.portPlease(name).orElseThrow().nodeType());
            assertEquals(NodeType.HIDDEN.code(), registration.entry().nodeType());
        }
    }

    @Test
    void portPleaseOfUnknownNameIsEmpty() throws Exception {
        startEpmd();
        assertEquals(Optional.empty(), client.portPlease(uniqueName("nobody")));
    }

    @Test
    void duplicateNameIsRefusedWithTheReason() throws Exception {
        startEpmd();
        String name = uniqueName("dup");
        try (Registration first = client.register(name, 40125, NodeType.NORMAL,
                Registration.Listener.NONE)) {
            EpmdException refused = assertThrows(EpmdException.class, () ->
                    client.register(name, 40126, NodeType.NORMAL, Registration.Listener.NONE));
            assertEquals("epmd at " + client.address() + " refused to register '" + name
                    + "': the name is in use (result 1)", refused.getMessage());
            assertTrue(first.isActive(), "the first registration is untouched");
            assertEquals(40125, client.portPlease(name).orElseThrow().port());
        }
    }

    @Test
    void closingTheRegistrationUnregistersTheName() throws Exception {
        startEpmd();
        String name = uniqueName("bye");
        Registration registration = client.register(name, 40127, NodeType.NORMAL,
                Registration.Listener.NONE);
        int creation = registration.creation();
        registration.close();
        registration.close(); // idempotent

        assertFalse(registration.isActive());
        awaitTrue("epmd to forget " + name, () -> client.names().find(name).isEmpty());
        assertEquals(Optional.empty(), client.portPlease(name));
        try (Registration again = client.register(name, 40127, NodeType.NORMAL,
                Registration.Listener.NONE)) {
            assertNotEquals(creation, again.creation(), "a new incarnation needs a new creation");
        }
    }

    @Test
    void listenerFiresWhenEpmdDies() throws Exception {
        startEpmd();
        String name = uniqueName("orphan");
        CompletableFuture<Registration> lost = new CompletableFuture<>();
        Registration registration = client.register(name, 40128, NodeType.NORMAL, lost::complete);

        epmd.destroyForcibly();
        epmd.waitFor(10, TimeUnit.SECONDS);

        assertEquals(registration, lost.get(10, TimeUnit.SECONDS));
        assertFalse(registration.isActive());
    }

    @Test
    void listenerDoesNotFireWhenTheOwnerCloses() throws Exception {
        startEpmd();
        CompletableFuture<Registration> lost = new CompletableFuture<>();
        Registration registration = client.register(uniqueName("quiet"), 40129, NodeType.NORMAL,
                lost::complete);
        registration.close();
        Thread.sleep(200);
        assertFalse(lost.isDone());
    }

    @Test
    void unreachableEpmdFailsWithItsAddress() throws Exception {
        EpmdClient nowhere = EpmdClient.builder().port(freePort()).build();
        ConnectException e = assertThrows(ConnectException.class, nowhere::names);
        assertTrue(e.getMessage().startsWith("could not connect to epmd at " + nowhere.address()),
                e.getMessage());
    }
}
