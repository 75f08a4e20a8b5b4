package dockgate.unix;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway writes to a Unix socket client, as the conduit Undertow writes: the bytes of each flush go
 * to the Netty channel in one piece, which its event loop writes out, in order.
 *
 * <p>On the connection's XNIO IO thread, but for the count of bytes handed over and not yet written, which the
 * event loop lowers as writes complete. Past {@link #WINDOW} of those, {@code write} takes nothing until the
 * client has read, so a slow reader holds the daemon back instead of making the gateway buffer. Readiness is
 * level-triggered ({@link LevelReadiness}).
 */
final class UnixClientSink implements StreamSinkConduit {

    /** Bytes handed to Netty and not yet written: a few of Undertow's 16 KiB buffers. */
    static final int WINDOW = 64 * 1024;

    private final XnioIoThread thread;
    private final DuplexChannel client;
    private final UnixClientConnection connection;

    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicBoolean waitingForRoom = new AtomicBoolean();
    private ByteBuf batch;
    private boolean clientGone;
    private boolean shut;
    private final LevelReadiness readiness;
    private WriteReadyHandler handler;

    UnixClientSink(XnioIoThread thread, DuplexChannel client, UnixClientConnection connection) {
        this.thread = thread;
        this.client = client;
        this.connection = connection;
        this.readiness = new LevelReadiness(thread, client, this::ready);
    }

    /** The client's socket closed: writes fail from now on, as they would on a closed socket. */
    void clientGone() {
        clientGone = true;
        writable();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (shut || clientGone) {
            throw new ClosedChannelException();
        }
        int room = WINDOW - unwritten.get() - (batch == null ? 0 : batch.readableBytes());
        if (room <= 0) {
            handOver();
            awaitRoom();
            return 0;
        }
        int n = Math.min(room, src.remaining());
        if (n == 0) {
            return 0;
        }
        if (batch == null) {
            batch = client.alloc().directBuffer(Math.max(n, 4096));
        }
        int limit = src.limit();
        src.limit(src.position() + n);
        batch.writeBytes(src);
        src.limit(limit);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        long total = 0;
        for (int i = offs; i < offs + len; i++) {
            int wanted = srcs[i].remaining();
            int n = write(srcs[i]);
            total += n;
            if (n < wanted) {
                break;
            }
        }
        return total;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offs, len);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return src.transferTo(position, count, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return Conduits.transfer(source, count, throughBuffer, this);
    }

    /** Hands what was written to Netty, whose event loop writes it out in order. */
    @Override
    public boolean flush() throws IOException {
        if (clientGone) {
            throw new ClosedChannelException();
        }
        handOver();
        return true;
    }

    @Override
    public void terminateWrites() {
        if (!shut) {
            shut = true;
            handOver();
            // Shut only after the last byte: shutting a Netty channel's output fails the writes still queued.
            afterWrites().addListener(written -> client.shutdownOutput());
            if (connection.markWriteClosed()) {
                terminated();
            }
        }
    }

    @Override
    public void truncateWrites() {
        if (batch != null) {
            batch.release();
            batch = null;
        }
        terminateWrites();
    }

    /** Nothing more is written; what was written is handed over, for a close must not lose it. */
    void closed() {
        handOver();
        shut = true;
    }

    void terminated() {
        if (handler != null) {
            handler.terminated();
        }
    }

    /** A future that completes once every byte handed to Netty so far is written (or can no longer be). */
    ChannelFuture afterWrites() {
        return client.writeAndFlush(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public boolean isWriteShutdown() {
        return shut;
    }

    @Override
    public void resumeWrites() {
        readiness.resume();
        writable();
    }

    @Override
    public void suspendWrites() {
        readiness.suspend();
    }

    @Override
    public void wakeupWrites() {
        readiness.resume();
        readiness.queue();
    }

    @Override
    public boolean isWriteResumed() {
        return readiness.isResumed();
    }

    @Override
    public void awaitWritable() throws IOException {
        throw new IOException("a Unix socket client is served without blocking");
    }

    @Override
    public void awaitWritable(long time, TimeUnit timeUnit) throws IOException {
        awaitWritable();
    }

    @Override
    public XnioIoThread getWriteThread() {
        return thread;
    }

    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        this.handler = handler;
    }

    @Override
    public XnioWorker getWorker() {
        return thread.getWorker();
    }

    private void handOver() {
        if (batch == null) {
            return;
        }
        ByteBuf out = batch;
        batch = null;
        int n = out.readableBytes();
        unwritten.addAndGet(n);
        client.writeAndFlush(out).addListener(written -> {
            // On the event loop; a write that failed closed the channel, which ends the connection.
            if (unwritten.addAndGet(-n) < WINDOW && waitingForRoom.compareAndSet(true, false)) {
                UnixClientConnection.onIo(thread, client, this::writable);
            }
        });
    }

    /** Asks the event loop to say when there is room; checked again after asking, so no completion is missed. */
    private void awaitRoom() {
        waitingForRoom.set(true);
        if (unwritten.get() < WINDOW && waitingForRoom.compareAndSet(true, false)) {
            writable();
        }
    }

    private void writable() {
        // Once writes are terminated the handler is not called again, as for a socket whose key is cancelled.
        if (!readiness.isResumed() || shut) {
            return;
        }
        if (clientGone || unwritten.get() < WINDOW) {
            readiness.queue();
        } else {
            awaitRoom();
        }
    }

    private void ready() {
        if (!shut && handler != null) {
            handler.writeReady();
            writable();
        }
    }
}
