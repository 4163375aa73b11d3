package io.jdist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** SKELETON: to be written. */
@Command(name = "epmd", description = "SKELETON")
final class EpmdCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("epmd: not written yet");
    }
}
