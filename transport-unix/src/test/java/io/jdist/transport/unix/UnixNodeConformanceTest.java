package io.jdist.transport.unix;

import io.jdist.carrier.tck.AbstractNodeConformanceTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The kit's node-level suite: two Java nodes over Unix-domain sockets, found in a socket directory. */
class UnixNodeConformanceTest extends AbstractNodeConformanceTest {

    @TempDir
    Path sockets;

    @Override
    protected String carrier() {
        return "unix";
    }

    @Override
    protected Map<String, String> carrierSettings() {
        return Map.of("dir", sockets.resolve("s").toString());
    }
}
