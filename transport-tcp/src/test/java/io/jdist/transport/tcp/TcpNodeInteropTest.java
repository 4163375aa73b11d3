package io.jdist.transport.tcp;

import io.jdist.testing.node.AbstractNodeInteropTest;

/** The node interop suite over plain TCP, against {@code erl -sname}. */
class TcpNodeInteropTest extends AbstractNodeInteropTest {

    @Override
    protected String carrier() {
        return "tcp";
    }
}
