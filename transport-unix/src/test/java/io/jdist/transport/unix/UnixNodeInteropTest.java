package io.jdist.transport.unix;

import io.jdist.Node;
import io.jdist.testing.ErlangNode;
import io.jdist.testing.node.AbstractNodeInteropTest;
import io.jdist.testing.node.RawConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The node interop suite over Unix-domain sockets, against {@code erl -proto_dist jdist_uds
 * -no_epmd} with this module's {@code jdist_uds_dist}: both sides find each other in one socket
 * directory.
 */
class UnixNodeInteropTest extends AbstractNodeInteropTest {

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

    @Override
    protected RawConnection openRawConnection(Node node) throws IOException {
        return uds.openRaw(node.name());
    }
}
