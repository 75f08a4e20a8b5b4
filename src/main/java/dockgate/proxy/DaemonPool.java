package dockgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpClientCodec;

import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to the daemon's Unix socket.
 *
 * <p>Idle connections are reused newest first. At most {@code maxIdle} are kept: a burst of long streams
 * opens as many connections as it needs (nothing waits for a free one), and when they end the surplus is
 * closed instead of lingering. Every connection reads only on demand ({@code AUTO_READ=false}) so a slow
 * client holds the daemon back instead of making the gateway buffer.
 */
public final class DaemonPool implements AutoCloseable {

    /**
     * Called on the connection's event loop once a connection is ready, or failed to open; on the caller's
     * thread when the pool is closed.
     */
    public interface Waiter {
        void connected(Channel channel, boolean reused);

        void failed(Throwable cause);
    }

    private final Path socket;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Deque<Channel> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger openCount = new AtomicInteger();
    private final int maxIdle;
    private boolean closed;

    public DaemonPool(Path socket, int threads, int maxIdle) {
        Epoll.ensureAvailability();
        this.socket = socket;
        this.maxIdle = maxIdle;
        this.group = new MultiThreadIoEventLoopGroup(threads, RearmingEpollHandler.factory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDomainSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                // Reads grow to a window (a listing then arrives in one or two reads) but start at 2 KiB: a
                // thousand /events connections that each began with 16 KiB reads held 15 MB more at the peak.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, ResponseWriter.WINDOW))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .remoteAddress(new DomainSocketAddress(socket.toString()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // No aggregator: each piece of a response is relayed as it arrives.
                        // Pieces of up to a window: the daemon's answers arrive as large as they were written.
                        ch.pipeline().addLast(new HttpClientCodec(4096, 8192, ResponseWriter.WINDOW), new DaemonChannelHandler());
                    }
                });
    }

    public Path socket() {
        return socket;
    }

    /** The event loops the daemon connections run on; closed with the pool. */
    public EventLoopGroup eventLoops() {
        return group;
    }

    /** Hands out an idle connection if one is alive, else opens a new one. */
    public void acquire(Waiter waiter) {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (channel.isActive()) {
                Channel reused = channel;
                try {
                    reused.eventLoop().execute(() -> {
                        if (reused.isActive()) {
                            waiter.connected(reused, true);
                        } else {
                            acquire(waiter);
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    waiter.failed(closing());
                }
                return;
            }
        }
        connect(waiter);
    }

    /** Always opens a new connection: used to retry when a reused one turned out to be dead. */
    public void connect(Waiter waiter) {
        // A start that fails at once closes the pool while the start-up probe may still be connecting from
        // another thread. Netty, asked to register a channel on event loops that are gone, logs a warning and
        // an error and never tells the listener; so a connect and the close never overlap.
        synchronized (this) {
            if (!closed) {
                ChannelFuture future = bootstrap.connect();
                future.addListener(f -> {
                    if (f.isSuccess()) {
                        openCount.incrementAndGet();
                        future.channel().closeFuture().addListener(done -> openCount.decrementAndGet());
                        waiter.connected(future.channel(), false);
                    } else {
                        waiter.failed(f.cause());
                    }
                });
                return;
            }
        }
        waiter.failed(closing());
    }

    private static IllegalStateException closing() {
        return new IllegalStateException("the gateway is closing");
    }

    /** Returns a connection whose last response was read to its end and may be kept alive. */
    public void release(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        if (idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            channel.close();
            return;
        }
        // Reading stays armed while the connection waits: the next call's read() then changes nothing in
        // the epoll set (two system calls fewer a call), and a daemon that closes an idle connection is
        // noticed at once rather than by the next call. Bytes that arrive unasked close it.
        channel.read();
        idle.addFirst(channel);
    }

    /** Connections open now, idle or in use (for the metrics). */
    int open() {
        return openCount.get();
    }

    /** Connections waiting in the pool; some may have been closed by the daemon and not yet noticed. */
    int idle() {
        return idleCount.get();
    }

    /** Some connect failures carry no message (a missing socket file): say what they are instead of "null". */
    String describe(Throwable cause) {
        if (!java.nio.file.Files.exists(socket)) {
            return "no such socket file";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            channel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
