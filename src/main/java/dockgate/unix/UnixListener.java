package dockgate.unix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.undertow.server.OpenListener;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves the API on a Unix socket file. XNIO, under Undertow, only listens on IP sockets, so connections are
 * accepted with Netty's epoll transport and each is handed to Undertow as one end of an XNIO pipe, with a
 * {@link PipeRelay} moving the bytes. From there a call takes exactly the path of a TCP call.
 */
public final class UnixListener implements AutoCloseable {

    private final Path path;
    private final UnixSocketFile file;
    private final Channel server;

    private UnixListener(Path path, UnixSocketFile file, Channel server) {
        this.path = path;
        this.file = file;
        this.server = server;
    }

    /**
     * Makes the socket file with the given mode and group and starts accepting; {@code http} gets each
     * connection, {@code names} the name of its client. The message of a failure says what is in the way.
     */
    public static UnixListener open(Path path, int mode, String group, EventLoopGroup loops, XnioWorker worker,
                                    OpenListener http, UnixClientNames names) throws IOException {
        UnixSocketFile file = UnixSocketFile.prepare(path, mode, group);
        Channel server = null;
        try {
            server = new ServerBootstrap()
                    .group(loops)
                    .channel(EpollServerDomainSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel client) {
                            accept(client, path, worker, http, names);
                        }
                    })
                    .bind(new DomainSocketAddress(file.bindPath().toString()))
                    .syncUninterruptibly()
                    .channel();
            file.publish();
            return new UnixListener(path, file, server);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close().syncUninterruptibly();
            }
            file.remove();
            throw e;
        }
    }

    private static void accept(EpollDomainSocketChannel client, Path path, XnioWorker worker, OpenListener http,
                               UnixClientNames names) {
        String label = label(client, path);
        XnioIoThread io = worker.getIoThread();
        // The relay is in place before anything can happen on the connection, so no event is missed.
        PipeRelay relay = new PipeRelay(io, client, names::remove);
        client.pipeline().addLast(relay);
        io.execute(() -> {
            StreamConnection farEnd = relay.start();
            if (farEnd != null) {
                names.put(farEnd, label);
                http.handleEvent(farEnd);
            }
        });
    }

    /** "unix:pid=123,uid=0": who connected, as the kernel saw it. */
    private static String label(EpollDomainSocketChannel client, Path path) {
        try {
            PeerCredentials peer = client.peerCredentials();
            return "unix:pid=" + peer.pid() + ",uid=" + peer.uid();
        } catch (IOException e) {
            return "unix:" + path;
        }
    }

    public Path path() {
        return path;
    }

    /** Stops accepting and removes the socket file; connections already open carry on until the gateway closes. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        file.remove();
    }
}
