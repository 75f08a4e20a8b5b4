package dockgate.proxy;

import dockgate.http.JsonError;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one daemon response to the client, on the exchange's IO thread.
 *
 * <p>The daemon side posts the parts of the response from its event loop; they are written in order, each
 * chunk flushed as soon as nothing else is waiting, so an event reaches the client the moment it arrives.
 * More is asked of the daemon only once everything posted so far has left the gateway: that is the
 * backpressure that keeps a slow reader from making the gateway buffer.
 */
final class ResponseWriter {

    /** What the response needs from the daemon side. Called on the IO thread, but for cancel. */
    interface DaemonSide {
        /** There is room again for more of the response. */
        void requestMore();

        /** Stop relaying: the daemon connection is closed, never reused. Any thread. */
        void cancel();
    }

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    /**
     * How far the daemon side may read ahead of what the client has taken: enough for a typical listing
     * in one go, small enough that a thousand slow streams cost little.
     */
    static final int WINDOW = 64 * 1024;

    /** The daemon's response ended normally. */
    static final Object END = new Object();

    /** The daemon switched the call to a raw stream (attach, exec): answer 101 and hand both sides to the tunnel. */
    record Upgrade(HttpResponse head, Tunnel tunnel) {
    }

    /** Something went wrong before or during the response. */
    record Failure(int status, String message) {
        static final Failure CUT_SHORT = new Failure(0, "the daemon connection ended in the middle of the response");
    }

    private final HttpServerExchange exchange;
    private final DaemonSide daemon;
    private final Streams streams;
    private final Traffic traffic;
    private final ResponseParts parts = new ResponseParts();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile Tunnel tunnel;
    private final ChannelListener<StreamSinkChannel> sinkReady = sink -> {
        sink.suspendWrites();
        waitingForSink = false;
        drain();
    };

    // Below: IO thread only.
    private StreamSinkChannel sink;
    private final GatheredWrite gathered = new GatheredWrite();
    private boolean waitingForSink;
    private boolean watching;
    private boolean streaming;
    private boolean done;

    ResponseWriter(HttpServerExchange exchange, DaemonSide daemon, Streams streams, Traffic traffic) {
        this.exchange = exchange;
        this.daemon = daemon;
        this.streams = streams;
        this.traffic = traffic;
    }

    /**
     * Queues a part (an {@link HttpResponse} head, a {@link ByteBuf} chunk whose ownership passes, END or a
     * Failure) and writes it out.
     */
    void post(Object part) {
        add(part);
        send();
    }

    /**
     * Queues a part without waking the IO thread yet: the daemon side adds what one read gave and calls
     * {@link #send} once at its end, so a response read in several pieces crosses between the threads once.
     */
    void add(Object part) {
        parts.add(part);
    }

    /** Has the IO thread write out what is queued. */
    void send() {
        if (!parts.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            exchange.getIoThread().execute(drainTask);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (done) {
            releaseQueued();
            return;
        }
        if (waitingForSink) {
            return;
        }
        try {
            while (true) {
                if (gathered.pending() || parts.chunkNext()) {
                    if (!write()) {
                        return;
                    }
                    continue;
                }
                Object part = parts.takeOther();
                if (part == null) {
                    if (parts.isEmpty()) {
                        break;
                    }
                    // A chunk arrived since the look above: the next turn writes it.
                    continue;
                }
                if (part instanceof HttpResponse head) {
                    start(head);
                } else if (part == END) {
                    finish();
                } else if (part instanceof Failure failure) {
                    fail(failure);
                } else if (part instanceof Upgrade upgrade) {
                    HijackAnswer.send(exchange, upgrade, streams, this);
                    tunnel = upgrade.tunnel();
                    done = true;
                }
                if (done) {
                    return;
                }
            }
            if (sink != null && !sink.flush()) {
                awaitSink();
                return;
            }
            daemon.requestMore();
        } catch (IOException e) {
            clientGone();
        }
    }

    private void start(HttpResponse head) {
        // A quiet watch ends before anything is written: a fixed-length answer ends the exchange with its last byte.
        stopWatching();
        HttpHeaders in = head.headers();
        if (!in.contains(HttpHeaderNames.CONTENT_LENGTH) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            if (!streams.tryOpen(this)) {
                daemon.cancel();
                fail(new Failure(503, "too many streams open at once (limit " + streams.limit() + ")"));
                log.warn("refused a stream for {} {}: {} streams open, the limit", exchange.getRequestMethod(),
                        exchange.getRequestURI(), streams.limit());
                return;
            }
            streaming = true;
            exchange.putAttachment(Streams.STREAMED, Boolean.TRUE);
        }
        exchange.setStatusCode(head.status().code());
        HeaderMap out = exchange.getResponseHeaders();
        HopByHop hopByHop = HopByHop.of(in);
        for (Map.Entry<String, String> header : in) {
            if (!hopByHop.isHopByHop(header.getKey())) {
                out.add(HttpString.tryFromString(header.getKey()), header.getValue());
            }
        }
        sink = exchange.getResponseChannel();
        if (streaming) {
            // A stream may stay quiet for hours; only a read notices that its client has gone.
            watching = ClientEofWatch.start(exchange, this::clientGone);
        }
    }

    /**
     * IO thread, as the call leaves for the daemon: keeps the client's reads on until the answer's head, which
     * saves Undertow's turning them off and on again (see {@link ClientEofWatch}). Not while something else
     * reads the client: a body still coming, a tunnel.
     */
    void watchQuietly(boolean clientReadsFree) {
        if (clientReadsFree) {
            watching = ClientEofWatch.start(exchange, null);
        }
    }

    /** Writes the chunks at the head of the queue; false if the client cannot take more now. */
    private boolean write() throws IOException {
        if (!gathered.pending()) {
            gathered.take(parts);
        }
        if (!gathered.writeTo(sink)) {
            awaitSink();
            return false;
        }
        int bytes = gathered.finish();
        parts.written(bytes);
        traffic.toClient.add(bytes);
        return true;
    }

    private void awaitSink() {
        waitingForSink = true;
        sink.getWriteSetter().set(sinkReady);
        sink.resumeWrites();
    }

    private void finish() throws IOException {
        done = true;
        stopWatching();
        closeStream();
        sink.shutdownWrites();
        if (sink.flush()) {
            exchange.endExchange();
            return;
        }
        sink.getWriteSetter().set(s -> {
            try {
                if (s.flush()) {
                    s.suspendWrites();
                    exchange.endExchange();
                }
            } catch (IOException e) {
                closeConnection();
            }
        });
        sink.resumeWrites();
    }

    private void fail(Failure failure) {
        done = true;
        releaseQueued();
        stopWatching();
        closeStream();
        if (sink == null && !exchange.isResponseStarted() && failure.status() != 0) {
            JsonError.sendOwn(exchange, failure.status(), failure.message());
        } else {
            // Part of the response is already on its way: closing is the only honest signal left.
            closeConnection();
        }
    }

    /**
     * Only a watch this response started may be stopped: a fixed-length response completes the exchange as
     * its last byte is written, and by then the connection's reads belong to Undertow's next request.
     */
    private void stopWatching() {
        if (watching) {
            watching = false;
            ClientEofWatch.stop(exchange);
        }
    }

    /** The client went away (or its connection broke): drop everything, stop the daemon side. */
    void clientGone() {
        if (done) {
            return;
        }
        done = true;
        releaseQueued();
        closeStream();
        closeConnection();
        daemon.cancel();
    }

    /**
     * IO thread: the client's request body broke off (framing, an early end, the size limit). The daemon
     * side is stopped mid-body, so the daemon reads a broken request; the client is told why if it still
     * listens and nothing was answered yet.
     */
    void bodyFailed(Failure failure) {
        if (done) {
            return;
        }
        exchange.setPersistent(false);
        daemon.cancel();
        post(failure);
    }

    /**
     * Closes the client's connection in the middle of this exchange. Undertow ends the exchange as the
     * connection closes, and for a persistent one it arms the idle timer of the next request after the
     * connection's own close listener has cancelled it: that timer would hold the dead connection for the
     * whole idle timeout (about 2 KB each, so a client reconnecting its streams piled them up).
     */
    private void closeConnection() {
        exchange.setPersistent(false);
        IoUtils.safeClose(exchange.getConnection());
    }

    /** Any thread: whether the daemon side may read more now. */
    boolean hasRoom() {
        return parts.below(WINDOW);
    }

    /** Any thread: ends a stream as the daemon would have, with its terminator (used at shutdown). */
    void endStream() {
        Tunnel current = tunnel;
        if (current != null) {
            current.close();
            return;
        }
        daemon.cancel();
        post(END);
    }

    /** Any thread: a tunnel that counted as a stream has ended. */
    void tunnelEnded() {
        streams.close(this);
    }

    private void closeStream() {
        if (streaming) {
            streaming = false;
            streams.close(this);
        }
    }

    private void releaseQueued() {
        gathered.discard();
        Object part;
        while ((part = parts.takeAny()) != null) {
            if (part instanceof ByteBuf chunk) {
                chunk.release();
            } else if (part instanceof Upgrade upgrade) {
                upgrade.tunnel().close();
            }
        }
    }
}
