package io.jdist.testing;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik container when Erlang is not installed, except on CI, where its
 * {@link ErlangRuntime#require()} then fails it. (An assumption failing in jqwik's
 * {@code @BeforeContainer} is reported as an error rather than a skip.) Use it with
 * {@code @AddLifecycleHook(SkipWithoutErlang.class)} on the class.
 */
public final class SkipWithoutErlang implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        if (ErlangRuntime.onCi() || ErlangRuntime.find().isPresent()) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip(ErlangRuntime.missingMessage());
    }
}
