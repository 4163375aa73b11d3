package io.jdist.transport.unix;

import io.jdist.carrier.CarrierConnection;
import io.jdist.carrier.ConnectionHandler;
import io.jdist.transport.tcp.internal.ConnectionAdapter;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A connection that opens for jdist once the peer's user is known to be allowed. */
final class UnixConnectionAdapter extends ConnectionAdapter {

    private static final System.Logger LOG = System.getLogger("io.jdist.transport.unix");

    /** Checks the peer's user, or {@code null} to let any peer in. */
    private final PeerCredentials sameUser;

    UnixConnectionAdapter(ConnectionHandler handler, CompletableFuture<CarrierConnection> connecting,
            PeerCredentials sameUser) {
        super(handler, connecting, false);
        this.sameUser = sameUser;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        super.channelActive(ctx);
        Optional<String> refusal;
        try {
            refusal = sameUser == null ? Optional.empty() : sameUser.refusal(ctx.channel());
        } catch (IOException | RuntimeException e) {
            refusal = Optional.of("cannot read the peer's credentials: " + e.getMessage());
        }
        if (refusal.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "refusing unix connection on {0}: {1}",
                    describe(ctx), refusal.get());
            failBeforeOpen(ctx, new IOException(refusal.get()));
        } else {
            open(ctx, List.of());
        }
    }

    private static String describe(ChannelHandlerContext ctx) {
        Object local = ctx.channel().localAddress();
        Object remote = ctx.channel().remoteAddress();
        return remote != null && !String.valueOf(remote).isEmpty() ? String.valueOf(remote) : String.valueOf(local);
    }
}
