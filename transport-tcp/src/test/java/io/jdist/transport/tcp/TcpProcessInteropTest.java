package io.jdist.transport.tcp;

import io.jdist.testing.node.AbstractProcessInteropTest;

/** The process interop suite over plain TCP, against {@code erl -sname}. */
class TcpProcessInteropTest extends AbstractProcessInteropTest {

    @Override
    protected String carrier() {
        return "tcp";
    }
}
