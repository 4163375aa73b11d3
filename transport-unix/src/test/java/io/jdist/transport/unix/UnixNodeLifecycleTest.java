package io.jdist.transport.unix;

import io.jdist.NodeConfig;
import io.jdist.carrier.Discovery;
import io.jdist.testing.node.AbstractNodeLifecycleTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The node lifecycle suite over Unix-domain sockets, found in a socket directory of the test's own. */
class UnixNodeLifecycleTest extends AbstractNodeLifecycleTest {

    @TempDir
    Path sockets;

    @Override
    protected String carrier() {
        return "unix";
    }

    @Override
    protected NodeConfig.Builder config(String sname) {
        return super.config(sname).carrierSetting("dir", sockets.resolve("s").toString());
    }

    @Override
    protected Discovery discovery() {
        return new SocketDirectory(sockets.resolve("s"));
    }
}
