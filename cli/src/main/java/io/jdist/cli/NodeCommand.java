package io.jdist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** SKELETON: to be written. */
@Command(name = "node", description = "SKELETON")
final class NodeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("node: not written yet");
    }
}
