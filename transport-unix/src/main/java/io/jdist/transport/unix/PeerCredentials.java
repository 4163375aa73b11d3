package io.jdist.transport.unix;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Tells whether the process at the other end of a Unix socket runs as this process's user, from
 * the credentials the kernel records for the socket ({@code SO_PEERCRED}): the uid through native
 * epoll, the user through the JDK's {@link ExtendedSocketOptions#SO_PEERCRED} on NIO.
 */
final class PeerCredentials {

    private final boolean epoll;
    private final Optional<Integer> ownUid;
    private final Optional<String> ownUser;

    PeerCredentials(boolean epoll) {
        this.epoll = epoll;
        this.ownUid = ownUid();
        this.ownUser = ProcessHandle.current().info().user();
    }

    /** Why the peer on {@code channel} is refused, or empty when it runs as this user. */
    Optional<String> refusal(Channel channel) throws IOException {
        if (epoll && channel instanceof EpollDomainSocketChannel domain) {
            int uid = domain.peerCredentials().uid();
            if (ownUid.isEmpty()) {
                return Optional.of("this process's uid is unknown, so the peer's uid " + uid + " cannot be checked");
            }
            return uid == ownUid.get() ? Optional.empty()
                    : Optional.of("the peer runs as uid " + uid + ", not this process's uid " + ownUid.get()
                            + " (set peers=any to allow other users)");
        }
        UnixDomainPrincipal peer = channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
        if (peer == null) {
            return Optional.of("the platform gives no peer credentials for this socket");
        }
        String user = peer.user().getName();
        if (ownUser.isEmpty()) {
            return Optional.of("this process's user is unknown, so the peer's user " + user + " cannot be checked");
        }
        return user.equals(ownUser.get()) ? Optional.empty()
                : Optional.of("the peer runs as user " + user + ", not " + ownUser.get()
                        + " (set peers=any to allow other users)");
    }

    private static Optional<Integer> ownUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
