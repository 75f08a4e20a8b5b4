package dockgate.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;

/**
 * Notices a client that goes away while its response is still streaming.
 *
 * <p>Undertow stops reading a connection while a request is in progress, so a client that disconnects
 * from a quiet {@code /events} stream would go unnoticed until the next event. This reads the connection
 * meanwhile: end of stream or an error means the client is gone; bytes mean the client pipelined its next
 * request, so they are handed back to Undertow untouched and the watch ends.
 *
 * <p>A quiet watch (no one to tell) keeps the connection's reads on while the daemon answers an ordinary
 * call. Undertow turns them off for each request and on again after it, and the JDK's selector makes each
 * change an {@code epoll_ctl} call unless both fall in one turn of the IO thread: with the reads left on,
 * a call costs two system calls fewer. Its end of stream is left for Undertow to find after the answer, as
 * it would have: a client that shut its sending side may still be reading.
 *
 * <p>Either watch sees the connection only after a call without a body: once a request body has ended,
 * Undertow's conduit for it ignores resumed reads until the exchange is over.
 */
final class ClientEofWatch implements ChannelListener<StreamSourceChannel> {

    private final HttpServerConnection connection;
    private final Runnable onGone;

    private ClientEofWatch(HttpServerConnection connection, Runnable onGone) {
        this.connection = connection;
        this.onGone = onGone;
    }

    /**
     * Starts watching where it is safe: HTTP/1.1 over a plain or TLS connection, request fully read.
     * Returns whether it did. Not for HTTP/1.0: its clients (nc, scripts) often shut their sending side
     * once the request is out, and that end of stream is no sign that they stopped reading.
     *
     * @param onGone told when the client is gone; null for a quiet watch
     */
    static boolean start(HttpServerExchange exchange, Runnable onGone) {
        if (!exchange.isHttp11()
                || !(exchange.getConnection() instanceof HttpServerConnection connection)
                || !exchange.isRequestComplete()
                || connection.getExtraBytes() != null) {
            return false;
        }
        StreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.getReadSetter().set(new ClientEofWatch(connection, onGone));
        source.resumeReads();
        return true;
    }

    /** Ends a watch before Undertow takes the connection back for the next request. */
    static void stop(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof HttpServerConnection connection) {
            end(connection.getChannel().getSourceChannel());
        }
    }

    @Override
    public void handleEvent(StreamSourceChannel source) {
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean handedBack = false;
        try {
            int read = source.read(pooled.getBuffer());
            if (read == -1) {
                end(source);
                tellGone();
            } else if (read > 0) {
                end(source);
                pooled.getBuffer().flip();
                connection.ungetRequestBytes(pooled);
                handedBack = true;
            }
        } catch (IOException e) {
            end(source);
            tellGone();
        } finally {
            if (!handedBack) {
                pooled.close();
            }
        }
    }

    private void tellGone() {
        if (onGone != null) {
            onGone.run();
        }
    }

    private static void end(StreamSourceChannel source) {
        source.suspendReads();
        source.getReadSetter().set(null);
    }
}
