package io.jdist.transport.unix;

import io.jdist.testing.ErlangNode;
import io.jdist.testing.node.AbstractProcessInteropTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The process interop suite (monitors, links, exit signals, spawn, calls, rpc, aliases) over
 * Unix-domain sockets, against {@code erl -proto_dist jdist_uds -no_epmd}.
 */
class UnixProcessInteropTest extends AbstractProcessInteropTest {

    private ErlangUds uds;

    @BeforeAll
    void makeSocketDirectory() {
        uds = ErlangUds.create();
    }

    @AfterAll
    void removeSocketDirectory() {
        uds.close();
    }

    @Override
    protected String carrier() {
        return "unix";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return Map.of("dir", uds.socketDirectory().toString());
    }

    @Override
    protected ErlangNode.Builder erlangNode(String sname, Path workingDir) {
        return super.erlangNode(sname, workingDir).arguments(uds.erlArguments());
    }
}
