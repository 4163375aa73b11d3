package io.jdist.internal.epmd;

import static io.jdist.internal.epmd.EpmdTestSupport.await;
import static io.jdist.internal.epmd.EpmdTestSupport.awaitTrue;
import static io.jdist.internal.epmd.EpmdTestSupport.otpExecutable;
import static io.jdist.internal.epmd.EpmdTestSupport.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EpmdServer} used by real OTP: {@code erl} registers in it, {@code epmd -names} reads it. */
class EpmdServerInteropTest {

    @TempDir
    Path dir;

    private final EpmdTestSupport processes = new EpmdTestSupport();
    private EpmdServer server;
    private EpmdClient client;

    @BeforeEach
    void startServer() throws Exception {
        otpExecutable("erl");
        server = EpmdServer.start(0);
        client = EpmdClient.builder().port(server.port()).build();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        processes.stopAll();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void realErlRegistersAndIsFoundByNamesAndPortPlease() throws Exception {
        String name = uniqueName("erl");
        processes.startErl(dir, server.port(), name);

        EpmdNames.Entry listed = awaitRegistered(name);

        NodeEntry entry = client.portPlease(name).orElseThrow();
        assertEquals(listed.port(), entry.port());
        assertEquals(6, entry.highestVersion());
        // OTP 25.2.3 registers lowest version 5 (the protocol notes say 6); both must pass through.
        assertTrue(entry.lowestVersion() == 5 || entry.lowestVersion() == 6, entry.toString());
        assertEquals(0, entry.protocol());
        assertEquals(List.of(entry), server.registrations());
    }

    @Test
    void epmdNamesCommandPrintsTheRegistration() throws Exception {
        String name = uniqueName("cli");
        processes.startErl(dir, server.port(), name);
        EpmdNames.Entry listed = awaitRegistered(name);

        Process names = processes.start(dir, Map.of(), otpExecutable("epmd").toString(),
                "-port", Integer.toString(server.port()), "-names");
        assertTrue(names.waitFor(20, TimeUnit.SECONDS));
        String output = processes.output(names);
        assertEquals(0, names.exitValue(), output);
        assertTrue(output.contains("epmd: up and running on port " + server.port() + " with data:"),
                output);
        assertTrue(output.contains("name " + name + " at port " + listed.port() + "\n"), output);
    }

    @Test
    void netAdmNamesAcceptsOurNamesResponse() throws Exception {
        // OTP checks that the port in the response is the one it asked, so this checks both.
        String name = uniqueName("self");
        Process erl = processes.start(dir,
                Map.of("ERL_EPMD_PORT", Integer.toString(server.port()), "HOME", dir.toString()),
                otpExecutable("erl").toString(), "-sname", name, "-setcookie", "epmdtest",
                "-noshell", "-start_epmd", "false", "-eval",
                "io:format(\"~p~n\", [net_adm:names()]), halt().");
        assertTrue(erl.waitFor(30, TimeUnit.SECONDS));
        String output = processes.output(erl);
        assertEquals(0, erl.exitValue(), output);
        assertTrue(output.matches("(?s).*\\{ok,\\[\\{\"" + name + "\",\\d+}]}.*"), output);
    }

    @Test
    void killedErlIsUnregistered() throws Exception {
        String name = uniqueName("gone");
        Process erl = processes.startErl(dir, server.port(), name);
        awaitRegistered(name);

        erl.destroyForcibly();
        erl.waitFor(10, TimeUnit.SECONDS);

        awaitTrue(name + " to disappear", () -> client.names().find(name).isEmpty());
        assertTrue(client.portPlease(name).isEmpty());
    }

    @Test
    void erlWithTheNameOfALiveRegistrationFailsToStart() throws Exception {
        String name = uniqueName("taken");
        processes.startErl(dir, server.port(), name);
        int port = awaitRegistered(name).port();

        Process second = processes.startErl(dir, server.port(), name);
        assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second erl should give up");
        String output = processes.output(second);
        assertNotEquals(0, second.exitValue(), output);
        assertTrue(output.contains("seems to be in use by another Erlang node"), output);
        assertEquals(port, client.portPlease(name).orElseThrow().port(), "the first one stays");
    }

    private EpmdNames.Entry awaitRegistered(String name) throws Exception {
        return await(name + " to register", () -> client.names().find(name));
    }
}
