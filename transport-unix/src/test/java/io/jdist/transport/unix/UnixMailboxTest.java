package io.jdist.transport.unix;

import io.jdist.NodeConfig;
import io.jdist.testing.node.AbstractMailboxTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The mailbox suite on a node with the Unix-socket carrier. */
class UnixMailboxTest extends AbstractMailboxTest {

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
}
