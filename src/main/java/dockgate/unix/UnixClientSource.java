package dockgate.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DuplexChannel;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * What a Unix socket client sends, as the conduit Undertow reads: the pieces the channel's event loop read,
 * queued in order.
 *
 * <p>On the connection's XNIO IO thread only: Undertow calls it there, and {@link UnixClientHandler} hands
 * it the channel's events as tasks there. Readiness is level-triggered ({@link LevelReadiness}): while reads
 * are resumed and there are bytes (or the end of them) to read, the handler is called again. Past {@link #WINDOW} bytes received and
 * not yet read, the client is not read: an upload waits for the gateway, not in it.
 */
final class UnixClientSource implements StreamSourceConduit {

    /** Bytes held for Undertow to read: a few of its 16 KiB buffers. */
    static final int WINDOW = 64 * 1024;

    private final XnioIoThread thread;
    private final DuplexChannel client;
    private final UnixClientConnection connection;

    private final ArrayDeque<ByteBuf> received = new ArrayDeque<>();
    private int receivedBytes;
    private boolean clientPaused;
    private boolean inputEnded;
    private boolean shut;
    private final LevelReadiness readiness;
    private ReadReadyHandler handler;

    UnixClientSource(XnioIoThread thread, DuplexChannel client, UnixClientConnection connection) {
        this.thread = thread;
        this.client = client;
        this.connection = connection;
        this.readiness = new LevelReadiness(thread, client, this::ready);
    }

    /** Bytes the client sent. */
    void received(ByteBuf bytes) {
        if (shut) {
            bytes.release();
            return;
        }
        received.add(bytes);
        receivedBytes += bytes.readableBytes();
        if (receivedBytes >= WINDOW && !clientPaused) {
            clientPaused = true;
            client.config().setAutoRead(false);
        }
        readable();
    }

    /** The client shut its sending half (or went): what it sent before is still read, then the end. */
    void inputEnded() {
        inputEnded = true;
        readable();
    }

    @Override
    public int read(ByteBuffer dst) {
        if (shut) {
            return -1;
        }
        if (received.isEmpty()) {
            return inputEnded ? -1 : 0;
        }
        int total = 0;
        while (dst.hasRemaining() && !received.isEmpty()) {
            ByteBuf head = received.peek();
            int n = Math.min(dst.remaining(), head.readableBytes());
            int limit = dst.limit();
            dst.limit(dst.position() + n);
            head.readBytes(dst);
            dst.limit(limit);
            total += n;
            if (!head.isReadable()) {
                received.poll().release();
            }
        }
        receivedBytes -= total;
        if (receivedBytes == 0 && clientPaused) {
            resumeClient();
        }
        return total;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) {
        long total = 0;
        for (int i = offs; i < offs + len; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    @Override
    public void terminateReads() {
        if (connection.markReadClosed()) {
            closed();
            terminated();
        }
    }

    /** Nothing more is read; what the client still sends is dropped, so that it is not blocked writing. */
    void closed() {
        shut = true;
        ByteBuf bytes;
        while ((bytes = received.poll()) != null) {
            bytes.release();
        }
        receivedBytes = 0;
        if (clientPaused) {
            resumeClient();
        }
    }

    void terminated() {
        if (handler != null) {
            handler.terminated();
        }
    }

    @Override
    public boolean isReadShutdown() {
        return shut;
    }

    @Override
    public void resumeReads() {
        readiness.resume();
        readable();
    }

    @Override
    public void suspendReads() {
        readiness.suspend();
    }

    @Override
    public void wakeupReads() {
        readiness.resume();
        readiness.queue();
    }

    @Override
    public boolean isReadResumed() {
        return readiness.isResumed();
    }

    @Override
    public void awaitReadable() throws IOException {
        throw new IOException("a Unix socket client is served without blocking");
    }

    @Override
    public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
        awaitReadable();
    }

    @Override
    public XnioIoThread getReadThread() {
        return thread;
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        this.handler = handler;
    }

    @Override
    public XnioWorker getWorker() {
        return thread.getWorker();
    }

    private void readable() {
        // Once reads are terminated the handler is not called again, as for a socket whose key is cancelled.
        if (readiness.isResumed() && !shut && (!received.isEmpty() || inputEnded)) {
            readiness.queue();
        }
    }

    private void ready() {
        if (!shut && handler != null) {
            handler.readReady();
            readable();
        }
    }

    /** Reads the client again; checked on the event loop, where its input may have ended meanwhile. */
    private void resumeClient() {
        clientPaused = false;
        client.eventLoop().execute(() -> {
            if (!client.isInputShutdown()) {
                client.config().setAutoRead(true);
            }
        });
    }
}
