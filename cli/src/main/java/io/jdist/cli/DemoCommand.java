package io.jdist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** SKELETON: to be written. */
@Command(name = "demo", description = "SKELETON")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("demo: not written yet");
    }
}
