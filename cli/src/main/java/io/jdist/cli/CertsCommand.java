package io.jdist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** SKELETON: to be written. */
@Command(name = "certs", description = "SKELETON")
final class CertsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("certs: not written yet");
    }
}
