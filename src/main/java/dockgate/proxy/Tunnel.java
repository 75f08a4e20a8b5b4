package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The raw two-way byte stream of a hijacked attach or exec, once the daemon answered 101: the client's
 * upgraded connection on one side, the daemon connection (its HTTP codec removed) on the other.
 *
 * <p>Each direction reads only when the other side has taken what was read before. An end of input on one
 * side (stdin closed) becomes a shut-down output on the other, so {@code echo hi | docker exec -i c cat}
 * ends as it does on the daemon's own socket; once both directions have ended, or either side fails or
 * closes, both connections are closed. The daemon connection is never returned to the pool.
 *
 * <p>Daemon-side methods run on the daemon connection's event loop; client-side ones on the client's IO
 * thread; the two meet through the queue of bytes for the client and a few volatile flags.
 */
final class Tunnel {

    private static final Logger log = LoggerFactory.getLogger(Tunnel.class);
    private static final int READ_SIZE = 16 * 1024;

    private final Channel daemon;
    private final String description;
    private final Runnable onEnd;
    private final Queue<ByteBuf> toClient = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Completed once both sides are closed, with what went through. */
    private final CompletableFuture<StreamBytes> finished = new CompletableFuture<>();

    private volatile StreamConnection client;
    private volatile XnioIoThread ioThread;
    /** The daemon will send nothing more: its input ended, or the connection is gone. */
    private volatile boolean daemonDone;
    private volatile boolean daemonGone;
    /** The client will send nothing more (its stdin ended). */
    private volatile boolean clientDone;

    // Written on the client IO thread only; read by close(), on any thread.
    private volatile long fromClient;
    private volatile long written;

    // Client IO thread only.
    private ByteBuffer writing;
    private ByteBuf writingBuf;
    private boolean clientOutputShut;

    Tunnel(Channel daemon, String description, Runnable onEnd) {
        this.daemon = daemon;
        this.description = description;
        this.onEnd = onEnd;
    }

    /**
     * Event loop, from inside the handling of the 101 head: from now on the daemon connection carries raw
     * bytes. Bytes that came with the 101 stay queued until the client side is connected.
     */
    void takeDaemonSide() {
        daemon.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ChannelPipeline pipeline = daemon.pipeline();
        pipeline.addLast(new DaemonSide());
        pipeline.remove(DaemonChannelHandler.class);
        // Whatever the codec has buffered beyond the 101 head is passed on as plain bytes when it goes.
        pipeline.remove(HttpClientCodec.class);
    }

    /** IO thread: Undertow has sent the 101 and handed over the client's connection. */
    void clientConnected(StreamConnection connection) {
        client = connection;
        ioThread = connection.getIoThread();
        if (ended.get()) {
            IoUtils.safeClose(connection);
            return;
        }
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.getReadSetter().set(channel -> readClient());
        source.resumeReads();
        drain();
    }

    /** Any thread: ends both sides at once (gateway shutdown, or a failure). */
    void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        daemon.close();
        StreamConnection connection = client;
        if (connection != null) {
            IoUtils.safeClose(connection);
            connection.getIoThread().execute(this::releaseQueued);
        } else {
            releaseQueued();
        }
        onEnd.run();
        finished.complete(new StreamBytes(fromClient, written));
    }

    /** Completed when the stream has ended, with its bytes each way. */
    CompletableFuture<StreamBytes> finished() {
        return finished;
    }

    // --- client to daemon, on the IO thread ---

    private void readClient() {
        ConduitStreamSourceChannel source = client.getSourceChannel();
        try {
            while (!ended.get()) {
                ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
                int read = source.read(buffer);
                if (read == 0) {
                    return;
                }
                if (read == -1) {
                    source.suspendReads();
                    clientDone = true;
                    daemon.eventLoop().execute(this::shutDaemonOutput);
                    return;
                }
                fromClient += read;
                buffer.flip();
                daemon.writeAndFlush(Unpooled.wrappedBuffer(buffer));
                if (!daemon.isWritable()) {
                    // Resumed by DaemonSide once the daemon has taken what is queued.
                    source.suspendReads();
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("client side of {} failed", description, e);
            close();
        }
    }

    /**
     * Event loop: the client's stdin ended, so the daemon's does too. With both ends done, all is done, but
     * only once what the daemon sent has been written out: the drain closes after it (clientDone is set).
     */
    private void shutDaemonOutput() {
        if (ended.get()) {
            return;
        }
        if (daemonGone) {
            scheduleDrain();
            return;
        }
        // Shut only after the client's last bytes: shutting a Netty channel's output fails the writes still
        // queued, and the daemon would act on a stdin cut short (cat's output came back short).
        daemon.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (ended.get()) {
                return;
            }
            ((DuplexChannel) daemon).shutdownOutput().addListener(f -> {
                if (daemonDone) {
                    scheduleDrain();
                } else if (!f.isSuccess()) {
                    close();
                }
            });
        });
    }

    // --- daemon to client, on the IO thread ---

    private void scheduleDrain() {
        XnioIoThread thread = ioThread;
        if (thread != null && drainScheduled.compareAndSet(false, true)) {
            thread.execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    private void drain() {
        if (ended.get()) {
            releaseQueued();
            return;
        }
        ConduitStreamSinkChannel sink = client.getSinkChannel();
        try {
            boolean daemonFinished;
            while (true) {
                if (writing == null) {
                    // Read before the poll: the event loop queues the daemon's last bytes and then sets
                    // daemonDone, so once it is seen set, an empty queue means all has been written. Read
                    // after an empty poll, it could be set with bytes queued in between, which the end
                    // below would then drop.
                    daemonFinished = daemonDone;
                    writingBuf = toClient.poll();
                    if (writingBuf == null) {
                        break;
                    }
                    writing = writingBuf.nioBuffer();
                }
                while (writing.hasRemaining()) {
                    int n = sink.write(writing);
                    if (n == 0) {
                        awaitSink(sink);
                        return;
                    }
                    written += n;
                }
                writingBuf.release();
                writingBuf = null;
                writing = null;
            }
            if (!sink.flush()) {
                awaitSink(sink);
                return;
            }
            if (daemonFinished) {
                endClientOutput(sink);
            } else {
                daemon.read();
            }
        } catch (IOException e) {
            log.debug("client side of {} failed", description, e);
            close();
        }
    }

    private void awaitSink(ConduitStreamSinkChannel sink) {
        sink.getWriteSetter().set(s -> {
            s.suspendWrites();
            drain();
        });
        sink.resumeWrites();
    }

    /** Everything the daemon sent has been written: pass its end on, and finish if nothing else can come. */
    private void endClientOutput(ConduitStreamSinkChannel sink) throws IOException {
        if (!clientOutputShut) {
            clientOutputShut = true;
            sink.shutdownWrites();
            if (!sink.flush()) {
                clientOutputShut = false;
                awaitSink(sink);
                return;
            }
        }
        if (clientDone || daemonGone) {
            close();
        }
    }

    private void releaseQueued() {
        if (writingBuf != null) {
            writingBuf.release();
            writingBuf = null;
            writing = null;
        }
        ByteBuf queued;
        while ((queued = toClient.poll()) != null) {
            queued.release();
        }
    }

    /** The last handler of the daemon connection once it carries raw bytes. Event loop only. */
    private final class DaemonSide extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes && bytes.isReadable() && !ended.get()) {
                toClient.add(bytes);
                if (ended.get()) {
                    // close() ran since the check above and may have emptied the queue already.
                    StreamConnection connection = client;
                    if (connection == null) {
                        releaseQueued();
                    } else {
                        connection.getIoThread().execute(Tunnel.this::releaseQueued);
                    }
                    return;
                }
                scheduleDrain();
                return;
            }
            // The empty end of the 101 from the codec, or bytes after the end.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                daemonDone = true;
                scheduleDrain();
            }
            ReferenceCountUtil.release(event);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            StreamConnection connection = client;
            if (ctx.channel().isWritable() && connection != null && !clientDone) {
                connection.getIoThread().execute(() -> {
                    if (!clientDone && !ended.get()) {
                        connection.getSourceChannel().resumeReads();
                    }
                });
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            daemonGone = true;
            daemonDone = true;
            if (client == null || ended.get()) {
                // Not yet connected: clientConnected drains what came, then ends.
                return;
            }
            scheduleDrain();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("daemon side of {} failed", description, cause);
            ctx.close();
        }
    }
}
