package dockgate.unix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.undertow.server.OpenListener;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves the API on a Unix socket file. XNIO, under Undertow, only listens on IP sockets, so connections are
 * accepted with Netty's epoll transport and each is handed to Undertow as a {@link UnixClientConnection},
 * whose conduits read and write the Netty channel. From there a call takes exactly the path of a TCP call.
 */
public final class UnixListener implements AutoCloseable {

    private final Path path;
    private final UnixSocketFile file;
    private final Channel server;
    private final ChannelGroup clients;

    private UnixListener(Path path, UnixSocketFile file, Channel server, ChannelGroup clients) {
        this.path = path;
        this.file = file;
        this.server = server;
        this.clients = clients;
    }

    /**
     * Makes the socket file with the given mode and group and starts accepting; {@code http} gets each
     * connection. The message of a failure says what is in the way.
     */
    public static UnixListener open(Path path, int mode, String group, EventLoopGroup loops, XnioWorker worker,
                                    OpenListener http) throws IOException {
        UnixSocketFile file = UnixSocketFile.prepare(path, mode, group);
        Channel server = null;
        ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            server = new ServerBootstrap()
                    .group(loops)
                    .channel(EpollServerDomainSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel client) {
                            clients.add(client);
                            accept(client, path, worker, http);
                        }
                    })
                    .bind(new DomainSocketAddress(file.bindPath().toString()))
                    .syncUninterruptibly()
                    .channel();
            file.publish();
            return new UnixListener(path, file, server, clients);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close().syncUninterruptibly();
            }
            file.remove();
            throw e;
        }
    }

    private static void accept(EpollDomainSocketChannel client, Path path, XnioWorker worker, OpenListener http) {
        XnioIoThread io = worker.getIoThread();
        UnixClientConnection connection = new UnixClientConnection(io, client, label(client, path));
        // The handler is in place before anything can happen on the channel, and Undertow takes the connection
        // in a task queued before any the handler queues, so no event is missed or comes out of order.
        client.pipeline().addLast(connection.handler());
        try {
            io.execute(() -> http.handleEvent(connection));
        } catch (RejectedExecutionException stopping) {
            client.close();
        }
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

    /** Ends every client connection still open: the gateway is stopping. */
    public void closeClients() {
        clients.close().syncUninterruptibly();
    }
}
