package dockgate.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Moves the bytes of one Unix socket client to and from the near end of an XNIO pipe whose far end Undertow
 * serves as it serves a TCP connection.
 *
 * <p>Netty calls this handler on the client's event loop; everything that touches the pipe runs on the
 * pipe's XNIO IO thread. Each direction has at most one read's worth of bytes in flight, so a slow side holds
 * the other back instead of making the gateway buffer: the client is read again only once its bytes are in
 * the pipe, and the pipe only once the last piece was written to the client. Every piece is flushed at once,
 * so an event stream arrives as it is written.
 *
 * <p>The client may end its sending half (stdin ends on a hijacked {@code docker run -i}): the pipe's
 * writing half is shut after the last byte, and answers keep flowing back. When the pipe ends, Undertow has
 * closed the connection: the client gets the end of the answer and is closed once it has stopped sending (see
 * {@link #answered()}). A client that goes away closes the pipe, which Undertow sees as the client going away.
 */
final class PipeRelay extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PipeRelay.class);

    /** One read from the pipe; a few of Undertow's 16k buffers. */
    private static final int CHUNK = 64 * 1024;
    /** How long a client that got its whole answer may go on sending before its connection is closed. */
    private static final long LINGER_SECONDS = 2;

    private final XnioIoThread io;
    private final Channel client;
    private final Consumer<StreamConnection> onClose;

    // Owned by the IO thread. Netty's events reach it as tasks queued behind start(), in order.
    private final ArrayDeque<ByteBuf> toPipe = new ArrayDeque<>();
    private StreamConnection pipe;
    private StreamConnection farEnd;
    private boolean readBurstEnded;
    private boolean clientInputEnded;
    /** The gateway no longer reads what the client sends (it answered and closed): it is dropped. */
    private boolean discardInput;
    /** The answer is out and the client told so; its remaining bytes are drained until it closes. */
    private boolean lingering;
    private boolean closed;

    /** {@code onClose} gets the far end once both sides are closed. */
    PipeRelay(XnioIoThread io, Channel client, Consumer<StreamConnection> onClose) {
        this.io = io;
        this.client = client;
        this.onClose = onClose;
    }

    /**
     * On the IO thread: makes the pipe and starts relaying. Returns the far end, for Undertow to serve, or null
     * when the client is gone already or no pipe could be made.
     */
    StreamConnection start() {
        if (closed) {
            return null;
        }
        ChannelPipe<StreamConnection, StreamConnection> ends;
        try {
            ends = io.createFullDuplexPipeConnection();
        } catch (IOException e) {
            log.warn("cannot take a Unix socket connection: {}", e.toString());
            close();
            return null;
        }
        pipe = ends.getLeftSide();
        farEnd = ends.getRightSide();
        // The pipe closing under us (the gateway stopping) ends the client too, unless we are lingering.
        pipe.setCloseListener(c -> {
            if (!lingering) {
                client.close();
            }
        });
        ConduitStreamSourceChannel source = pipe.getSourceChannel();
        source.getReadSetter().set(c -> fromPipe());
        source.resumeReads();
        pipe.getSinkChannel().getWriteSetter().set(c -> toPipe());
        readClient();
        return farEnd;
    }

    // ---------------------------------------------------------------- Netty side: hand over to the IO thread

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (!onIo(() -> {
            if (closed) {
                bytes.release();
                return;
            }
            toPipe.add(bytes);
            toPipe();
        })) {
            bytes.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One read() can deliver several pieces; the next read is asked for once all of them are in the pipe.
        onIo(() -> {
            readBurstEnded = true;
            toPipe();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            onIo(() -> {
                clientInputEnded = true;
                toPipe();
            });
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onIo(this::close);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets its connection is as gone as one that closes it.
        ctx.close();
    }

    // ---------------------------------------------------------------- IO thread

    private void toPipe() {
        if (closed) {
            return;
        }
        if (discardInput) {
            releaseQueued();
            if (clientInputEnded && lingering) {
                close();
            } else if (readBurstEnded && !clientInputEnded) {
                readBurstEnded = false;
                readClient();
            }
            return;
        }
        ConduitStreamSinkChannel sink = pipe.getSinkChannel();
        try {
            while (!toPipe.isEmpty()) {
                ByteBuf head = toPipe.peek();
                head.readBytes(sink, head.readableBytes());
                if (head.isReadable()) {
                    sink.resumeWrites();
                    return;
                }
                toPipe.poll().release();
            }
            if (clientInputEnded) {
                sink.shutdownWrites();
                if (!sink.flush()) {
                    sink.resumeWrites();
                    return;
                }
                sink.suspendWrites();
            } else if (readBurstEnded) {
                sink.suspendWrites();
                readBurstEnded = false;
                readClient();
            }
        } catch (IOException e) {
            // Undertow answered and closed without reading all the client sent (a refused upload): the
            // answer may still be in the pipe, so keep relaying it and drop the client's bytes.
            sink.suspendWrites();
            discardInput = true;
            toPipe();
        }
    }

    /**
     * Asks for the client's next bytes. Checked on the event loop: asking to read once the client has ended
     * its sending half (which the loop may have seen after this thread asked) is an error in Netty's epoll.
     */
    private void readClient() {
        client.eventLoop().execute(() -> {
            if (!((DuplexChannel) client).isInputShutdown()) {
                client.read();
            }
        });
    }

    private void fromPipe() {
        ConduitStreamSourceChannel source = pipe.getSourceChannel();
        ByteBuf bytes = client.alloc().directBuffer(CHUNK);
        int read;
        try {
            read = bytes.writeBytes(source, CHUNK);
        } catch (IOException e) {
            bytes.release();
            close();
            return;
        }
        if (read == 0) {
            bytes.release();
            return;
        }
        if (read < 0) {
            bytes.release();
            answered();
            return;
        }
        source.suspendReads();
        client.writeAndFlush(bytes).addListener(written -> onIo(() -> {
            if (written.isSuccess() && !closed) {
                source.resumeReads();
            } else {
                close();
            }
        }));
    }

    /**
     * Undertow has closed the connection; its last bytes reached the client (reads of the pipe pause until
     * each write completes). Closing the client's socket now could make its own pending write fail (the body
     * of a refused upload) before it reads the answer, so the client is told the end of the answer instead,
     * and what it still sends is drained for a little while (a "lingering close", as web servers do).
     */
    private void answered() {
        if (clientInputEnded) {
            close();
            return;
        }
        lingering = true;
        discardInput = true;
        IoUtils.safeClose(pipe);
        ((DuplexChannel) client).shutdownOutput();
        client.eventLoop().schedule(() -> client.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        toPipe();
        readClient();
    }

    /** Runs a task on the IO thread; false, with the client closed, once the gateway's threads are stopping. */
    private boolean onIo(Runnable task) {
        try {
            io.execute(task);
            return true;
        } catch (RejectedExecutionException stopping) {
            client.close();
            return false;
        }
    }

    private void releaseQueued() {
        ByteBuf pending;
        while ((pending = toPipe.poll()) != null) {
            pending.release();
        }
    }

    /** Closes both sides; on the IO thread. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseQueued();
        IoUtils.safeClose(pipe);
        client.close();
        if (farEnd != null) {
            onClose.accept(farEnd);
        }
    }
}
