package io.jdist.cli;

import io.jdist.NodeConfig;

/** This host's names as nodes use them. */
final class LocalHost {

    private LocalHost() {
    }

    /**
     * The host part of a short node name on this host ({@code erl -sname a} becomes {@code a@HOST}),
     * by the same rule as jdist's nodes.
     */
    static String shortName() {
        String name = NodeConfig.builder().sname("probe").cookie("unused").build().name();
        return name.substring(name.indexOf('@') + 1);
    }
}
