package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Carries one allowed call to the daemon and its response back.
 *
 * <p>Runs on the daemon connection's event loop, except where a method says it is called on the client's
 * IO thread. The response is handed to {@link ResponseWriter}; the daemon connection reads again only when
 * that has written everything out. The connection goes back to the pool only after the whole response was
 * read and both sides agreed to keep it alive; on any doubt it is closed.
 */
final class Relay implements DaemonPool.Waiter, DaemonChannelHandler.Call, ResponseWriter.DaemonSide {

    private final HttpServerExchange exchange;
    private final DaemonPool daemon;
    private final HttpRequest request;
    private final boolean hasBody;
    /** The whole body, read before the call was sent; null when the body is streamed or there is none. */
    private final byte[] wholeBody;
    private final Duration timeout;
    private final String description;
    private final boolean hijack;
    /** How a 200 answer is rewritten before the client sees it; null when it is relayed as it comes. */
    private final AnswerRewrite rewrite;
    private HeldAnswer held;
    /** Whether the route answers one document, which may be held to go whole ({@link WholeAnswer}). */
    private final boolean document;
    private WholeAnswer whole;
    private final ResponseWriter response;

    private volatile Channel channel;
    private volatile boolean cancelled;
    private boolean reused;
    private boolean retried;
    private boolean informational;
    private boolean headReceived;
    private boolean keepAlive;
    // Written on the event loop; read on the IO thread too, to skip a pointless hop once all is read.
    private volatile boolean daemonDone;
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile boolean requestSent;
    private volatile RequestBodyPump bodyPump;
    private ScheduledFuture<?> timer;
    private final Traffic traffic;

    Relay(HttpServerExchange exchange, DaemonPool daemon, Streams streams, Traffic traffic, HttpRequest request,
          boolean hasBody, byte[] wholeBody, Duration timeout, String description, boolean hijack, AnswerRewrite rewrite, boolean document) {
        this.exchange = exchange;
        this.wholeBody = wholeBody;
        this.daemon = daemon;
        this.request = request;
        this.hasBody = hasBody;
        this.timeout = timeout;
        this.description = description;
        this.traffic = traffic;
        this.hijack = hijack;
        this.rewrite = rewrite;
        this.document = document;
        this.response = new ResponseWriter(exchange, this, streams, traffic);
    }

    /** IO thread. */
    void start() {
        response.watchQuietly(!hijack && (wholeBody != null || !hasBody));
        daemon.acquire(this);
    }

    @Override
    public void connected(Channel connected, boolean reused) {
        if (cancelled) {
            connected.close();
            return;
        }
        this.channel = connected;
        this.reused = reused;
        connected.pipeline().get(DaemonChannelHandler.class).bind(this);
        timer = connected.eventLoop().schedule(this::timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (wholeBody != null) {
            if (!retried) {
                traffic.fromClient.add(wholeBody.length);
            }
            connected.write(request);
            // A fresh wrapper per attempt: the encoder releases what it writes, and a retry writes again.
            connected.writeAndFlush(wholeBody.length == 0 ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(Unpooled.wrappedBuffer(wholeBody)));
            requestSent = true;
        } else if (hasBody) {
            connected.writeAndFlush(request);
            RequestBodyPump pump = new RequestBodyPump(exchange, connected, traffic, () -> requestSent = true,
                    response::bodyFailed);
            bodyPump = pump;
            exchange.getIoThread().execute(pump::start);
        } else {
            connected.write(request);
            connected.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            requestSent = true;
        }
        connected.read();
    }

    @Override
    public void failed(Throwable cause) {
        response.post(new ResponseWriter.Failure(502,
                "cannot reach the Docker daemon at " + daemon.socket() + ": " + daemon.describe(cause)));
    }

    @Override
    public void onWritable() {
        RequestBodyPump pump = bodyPump;
        if (pump != null && !requestSent) {
            exchange.getIoThread().execute(pump::resume);
        }
    }

    @Override
    public void onDaemonMessage(HttpObject message) {
        if (message.decoderResult().isFailure()) {
            // Not HTTP, or not where it should be (bytes left over from an earlier answer): never relayed.
            release(message);
            abandon(headReceived ? ResponseWriter.Failure.CUT_SHORT : new ResponseWriter.Failure(502,
                    "the Docker daemon sent an answer dockgate cannot read: " + message.decoderResult().cause().getMessage()));
            return;
        }
        if (message instanceof HttpResponse head) {
            if (head.status().code() == 101 && hijack) {
                upgraded(head);
                return;
            }
            if (head.status().code() == 101) {
                // Upgrades are refused before they reach the daemon; one answered anyway is not relayed.
                release(message);
                abandon(new ResponseWriter.Failure(502, "the Docker daemon switched protocols, which dockgate does not relay"));
                return;
            }
            if (head.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                informational = true;
                release(message);
                return;
            }
            headReceived = true;
            keepAlive = HttpUtil.isKeepAlive(head);
            timer.cancel(false);
            if (rewrite != null && head.status().code() == 200) {
                held = new HeldAnswer(rewrite, head);
                String refusal = held.refusal();
                if (refusal != null) {
                    release(message);
                    abandon(new ResponseWriter.Failure(502, refusal));
                    return;
                }
            } else if (document && HttpUtil.isTransferEncodingChunked(head)) {
                whole = new WholeAnswer(head);
            } else {
                response.add(head);
            }
        }
        if (message instanceof HttpContent content) {
            if (informational) {
                informational = !(message instanceof LastHttpContent);
                content.release();
                return;
            }
            ByteBuf chunk = content.content().isReadable() ? content.content().retain() : null;
            content.release();
            if (held != null) {
                if (chunk != null && !held.add(chunk)) {
                    abandon(new ResponseWriter.Failure(502, "the Docker daemon's answer to " + description
                            + " is larger than " + rewrite.limit() + " bytes, the most dockgate rewrites"));
                    return;
                }
                if (message instanceof LastHttpContent) {
                    daemonDone = true;
                    giveBack();
                    held.release(response, description);
                }
                return;
            }
            if (message instanceof LastHttpContent) {
                // Back in the pool before the client can see the end and send its next call.
                daemonDone = true;
                giveBack();
            }
            if (whole != null) {
                if (message instanceof LastHttpContent) {
                    if (chunk != null) {
                        whole.add(chunk);
                    }
                    whole.sendWhole(response);
                    whole = null;
                } else if (chunk != null && !whole.add(chunk)) {
                    whole.spill(response);
                    whole = null;
                }
            } else if (chunk != null) {
                response.add(chunk);
            }
            if (message instanceof LastHttpContent) {
                response.post(ResponseWriter.END);
            }
        }
    }

    /** A hijack rule's call was switched to a raw stream: from here on a {@link Tunnel} carries it. */
    private void upgraded(HttpResponse head) {
        headReceived = true;
        daemonDone = true;
        timer.cancel(false);
        Tunnel tunnel = new Tunnel(channel, description, response::tunnelEnded);
        tunnel.takeDaemonSide();
        if (cancelled) {
            tunnel.close();
            return;
        }
        response.post(new ResponseWriter.Upgrade(head, tunnel));
    }

    private static void release(HttpObject message) {
        if (message instanceof HttpContent content) {
            content.release();
        }
    }

    /**
     * Reads on while the client side has room, so a response of a few chunks crosses without a round
     * trip between the threads per chunk; pauses when the client lags a window behind.
     */
    @Override
    public void onReadComplete() {
        response.send();
        if (daemonDone) {
            return;
        }
        if (response.hasRoom()) {
            channel.read();
            return;
        }
        paused.set(true);
        // The client side may have drained between the check and the flag: it would not have seen the flag.
        if (response.hasRoom() && paused.compareAndSet(true, false)) {
            channel.read();
        }
    }

    /** IO thread: the client side has room again; wakes the daemon side if it paused for lack of it. */
    @Override
    public void requestMore() {
        Channel current = channel;
        if (current != null && !daemonDone && paused.get() && paused.compareAndSet(true, false)) {
            current.eventLoop().execute(() -> {
                if (!daemonDone && channel == current) {
                    current.read();
                }
            });
        }
    }

    /** The client is gone or the stream is being ended; a connection mid-response can never be reused. */
    @Override
    public void cancel() {
        cancelled = true;
        Channel current = channel;
        if (current != null) {
            current.eventLoop().execute(() -> {
                if (!daemonDone && channel == current) {
                    abandon(null);
                }
            });
        }
    }

    @Override
    public void onDaemonClosed(Throwable cause) {
        if (daemonDone) {
            return;
        }
        if (!headReceived && reused && (!hasBody || wholeBody != null) && !retried && !cancelled) {
            // A kept-alive connection the daemon had already closed: the call never reached it, try once more.
            retried = true;
            timer.cancel(false);
            channel = null;
            daemon.connect(this);
            return;
        }
        daemonDone = true;
        timer.cancel(false);
        if (whole != null) {
            // Nothing of the answer has gone out yet, so the client can still be told.
            whole.discard();
            whole = null;
            response.post(new ResponseWriter.Failure(502, "the Docker daemon at " + daemon.socket()
                    + " closed the connection in the middle of its answer to " + description));
            return;
        }
        response.post(headReceived ? ResponseWriter.Failure.CUT_SHORT : new ResponseWriter.Failure(502,
                "the Docker daemon at " + daemon.socket() + " closed the connection before answering"
                        + (cause == null ? "" : ": " + cause.getMessage())));
    }

    private void timedOut() {
        if (!headReceived && !daemonDone) {
            abandon(new ResponseWriter.Failure(504,
                    "the Docker daemon did not answer " + description + " within " + timeout.toMillis() + " ms"));
        }
    }

    /** Stops relaying from this connection and closes it; tells the client side if there is anything to say. */
    private void abandon(ResponseWriter.Failure failure) {
        daemonDone = true;
        if (whole != null) {
            whole.discard();
            whole = null;
        }
        timer.cancel(false);
        Channel current = channel;
        current.pipeline().get(DaemonChannelHandler.class).unbind();
        current.close();
        if (failure != null) {
            response.post(failure);
        }
    }

    /** The whole response was read: keep the connection for the next call if both ends allow it. */
    private void giveBack() {
        Channel current = channel;
        current.pipeline().get(DaemonChannelHandler.class).unbind();
        if (keepAlive && requestSent && !cancelled) {
            daemon.release(current);
        } else {
            current.close();
        }
    }
}
