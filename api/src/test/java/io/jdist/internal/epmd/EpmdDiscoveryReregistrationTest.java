package io.jdist.internal.epmd;

import static io.jdist.internal.epmd.EpmdTestSupport.await;
import static io.jdist.internal.epmd.EpmdTestSupport.awaitTrue;
import static io.jdist.internal.epmd.EpmdTestSupport.freePort;
import static io.jdist.internal.epmd.EpmdTestSupport.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jdist.carrier.Discovery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's EPMD registration outlives the EPMD daemon it was made with, as {@code erl}'s does. */
class EpmdDiscoveryReregistrationTest {

    private final EpmdTestSupport processes = new EpmdTestSupport();

    @TempDir
    Path dir;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.stopAll();
    }

    @Test
    void aNodeRegistersAgainInAnEmbeddedEpmdWhenTheRealOneDies() throws Exception {
        int port = freePort();
        Process epmd = processes.startRealEpmd(dir, port);
        String alive = uniqueName("phoenix");
        String node = alive + "@localhost";
        int listenPort = freePort();
        EpmdClient client = EpmdClient.builder().port(port).build();

        try (Discovery discovery = Discovery.epmd(port);
                Discovery.Publication publication = discovery.publish(node,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort))) {
            assertEquals(listenPort, client.portPlease(alive).orElseThrow().port(), "registered with real epmd");
            int creation = publication.creation();

            EpmdTestSupport.stop(epmd);

            NodeEntry again = await(alive + " registered again on port " + port, () -> registered(client, alive));
            assertEquals(listenPort, again.port());
            assertEquals(creation, publication.creation(), "the node keeps its creation");
            assertEquals(new InetSocketAddress(InetAddress.getByName("localhost"), listenPort),
                    discovery.lookup(node));
        }
        // EPMD forgets a name when it sees the registration's connection close, which takes a moment;
        // the embedded EPMD then stops with its last registration, so no answer is an answer too.
        awaitTrue("closing the publication unregisters " + alive,
                () -> registered(client, alive).isEmpty());
    }

    private static Optional<NodeEntry> registered(EpmdClient client, String alive) {
        try {
            return client.portPlease(alive);
        } catch (IOException noEpmd) {
            return Optional.empty();
        }
    }
}
