package io.jdist.cli;

import io.jdist.Node;
import java.util.List;

/**
 * The seed documents' {@code chip}: the node whose process is registered as {@code my_iex}, which
 * {@code dale} connects to, sends to, and monitors until chip goes away. Its {@code my_iex} answers
 * every {@code {From, Msg}} with {@code From ! {node(), Msg}}, so that dale sees what arrived. A
 * Java node ({@link JavaChip}) or a real Erlang node ({@link ErlangChip}).
 */
interface Chip extends AutoCloseable {

    /** The registered name of chip's process, {@code my_iex} as in the seed documents. */
    String MY_IEX = "my_iex";

    /** chip's full node name. */
    String name();

    /** The shell line that makes or shows the {@code my_iex} registration on chip. */
    String registerAction();

    /** Makes or shows the registration, returning its result in Erlang syntax. */
    String register(Node dale) throws Exception;

    /** The shell line that lists chip's connections. */
    String nodesAction();

    /** The nodes chip is connected to, asked through {@code dale} where chip is not in this JVM. */
    List<String> nodes(Node dale) throws Exception;

    /** What stopping chip does, as a sentence. */
    String stopAction();

    /** Makes chip go away, the way a node stops or dies: its connections close. */
    void stop() throws Exception;

    /** Releases whatever is left; idempotent, never throws. */
    @Override
    void close();
}
