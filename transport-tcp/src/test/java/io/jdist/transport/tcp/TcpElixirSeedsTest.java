package io.jdist.transport.tcp;

import io.jdist.testing.node.AbstractElixirSeedsTest;

/** The seed documents' walk-throughs over plain TCP, with real Elixir nodes ({@code elixir --sname}). */
class TcpElixirSeedsTest extends AbstractElixirSeedsTest {

    @Override
    protected String carrier() {
        return "tcp";
    }
}
