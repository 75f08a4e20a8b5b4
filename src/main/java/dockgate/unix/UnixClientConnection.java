package dockgate.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DuplexChannel;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * One Unix socket client as the connection Undertow serves: its conduits ({@link UnixClientSource},
 * {@link UnixClientSink}) read and write the Netty channel the client was accepted on, with no pipe between.
 * Named for the log by the client's peer credentials.
 */
final class UnixClientConnection extends StreamConnection {

    private final DuplexChannel client;
    private final String label;
    private final UnixClientSource source;
    private final UnixClientSink sink;
    private final UnixClientHandler handler;

    UnixClientConnection(XnioIoThread thread, DuplexChannel client, String label) {
        super(thread);
        this.client = client;
        this.label = label;
        this.source = new UnixClientSource(thread, client, this);
        this.sink = new UnixClientSink(thread, client, this);
        this.handler = new UnixClientHandler(thread, this);
        setSourceConduit(source);
        setSinkConduit(sink);
    }

    /** The handler that feeds this connection what the client's channel sees; the channel's last. */
    UnixClientHandler handler() {
        return handler;
    }

    /** "unix:pid=123,uid=0": who connected, as the kernel saw it. */
    String label() {
        return label;
    }

    @Override
    public SocketAddress getPeerAddress() {
        return client.remoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return client.localAddress();
    }

    /** Marks the reading side closed, as a conduit's terminate does; true the first time only. */
    boolean markReadClosed() {
        return readClosed();
    }

    /** Marks the writing side closed; true the first time only. With both closed, XNIO closes the connection. */
    boolean markWriteClosed() {
        return writeClosed();
    }

    // What the client's channel saw, on the IO thread (UnixClientHandler's tasks).

    void received(ByteBuf bytes) {
        source.received(bytes);
    }

    void inputEnded() {
        source.inputEnded();
    }

    /** The client's socket closed under us (it reset, or a write to it failed): the connection is over. */
    void clientGone() {
        source.inputEnded();
        sink.clientGone();
        IoUtils.safeClose(this);
    }

    @Override
    protected void notifyReadClosed() {
        source.terminated();
    }

    @Override
    protected void notifyWriteClosed() {
        sink.terminated();
    }

    /**
     * What was written still reaches the client; then its socket ends (see {@link UnixClientHandler#answered()}).
     * A close may come from any thread (a tunnel ends from the daemon's side); the conduits are the IO thread's.
     */
    @Override
    protected void closeAction() {
        if (Thread.currentThread() == thread) {
            ended();
            return;
        }
        onIo(thread, client, this::ended);
    }

    /**
     * Runs a task on the connection's IO thread; false, with the client's channel closed, once the gateway's
     * threads are stopping and take no more tasks: nothing will serve the client any more.
     */
    static boolean onIo(XnioIoThread thread, DuplexChannel client, Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException stopping) {
            client.close();
            return false;
        }
    }

    private void ended() {
        source.closed();
        sink.closed();
        sink.afterWrites().addListener(written -> handler.answered());
    }
}
