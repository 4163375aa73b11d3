package io.jdist.transport.tcp;

import io.jdist.testing.node.AbstractMailboxTest;

/** The mailbox suite on a node with the TCP carrier. */
class TcpMailboxTest extends AbstractMailboxTest {

    @Override
    protected String carrier() {
        return "tcp";
    }
}
