package io.jdist.testing;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Elixir installation on the {@code PATH}, for tests that check jdist against real Elixir
 * nodes ({@link ElixirNode}). Elixir runs on the Erlang/OTP installation that {@link ErlangRuntime}
 * finds.
 *
 * <p>Tests call {@link #require()}: without Elixir they are skipped, except on CI (the environment
 * variable {@code CI=true}), where they fail, as {@link ErlangRuntime#require()} does for Erlang.
 */
public final class ElixirRuntime {

    private final Path elixir;

    private ElixirRuntime(Path elixir) {
        this.elixir = elixir;
    }

    /**
     * The installation on the {@code PATH}. When there is none the calling test is skipped through
     * JUnit's {@link Assumptions}, or fails when the environment variable {@code CI} is {@code true}.
     */
    public static ElixirRuntime require() {
        Optional<ElixirRuntime> runtime = find();
        if (runtime.isEmpty()) {
            String message = missingMessage();
            if (ErlangRuntime.onCi()) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return runtime.get();
    }

    /** The installation on the {@code PATH}, if {@code elixir} and the {@code erl} it runs on are both there. */
    public static Optional<ElixirRuntime> find() {
        Optional<Path> elixir = ErlangRuntime.onPath("elixir");
        return elixir.isPresent() && ErlangRuntime.onPath("erl").isPresent()
                ? Optional.of(new ElixirRuntime(elixir.get())) : Optional.empty();
    }

    /** What is missing, as in {@code "elixir not found on PATH; install elixir"}. */
    static String missingMessage() {
        return ErlangRuntime.onPath("elixir").isEmpty() ? "elixir not found on PATH; install elixir"
                : "erl, which elixir runs on, not found on PATH; install erlang-base";
    }

    /** The {@code elixir} command. */
    public Path elixir() {
        return elixir;
    }
}
