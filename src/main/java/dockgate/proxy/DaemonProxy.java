package dockgate.proxy;

import dockgate.http.PingAnswer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Forwards allowed calls to the daemon's Unix socket and streams the answers back. */
public final class DaemonProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DaemonProxy.class);
    /** A health check of a daemon that accepts connections but stays silent ends after this long. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** The Docker CLI sends this Host over a Unix socket; the daemon insists on some Host. */
    static final String DAEMON_HOST = "api.moby.localhost";
    /** Undertow's parser has already refused malformed header names and values; checking again costs time. */
    private static final HttpHeadersFactory UNCHECKED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final DaemonPool daemon;
    private final Streams streams;
    private final Duration timeout;
    private final Traffic traffic = new Traffic();

    public DaemonProxy(Path socket, Duration timeout, int maxStreams, int threads, int maxIdleConnections) {
        this.daemon = new DaemonPool(socket, threads, maxIdleConnections);
        this.streams = new Streams(maxStreams);
        this.timeout = timeout;
    }

    /** Logs the answer to a {@link #check} when it comes. */
    public void report(CompletableFuture<PingAnswer> ping) {
        ping.thenAccept(answer -> {
            if (answer.answered()) {
                log.info("the Docker daemon at {} answers, API version {}", daemon.socket(), answer.apiVersion());
            } else {
                log.warn("the Docker daemon at {} does not answer yet ({}): calls get 502 until it does",
                        daemon.socket(), answer.problem());
            }
        });
    }

    /**
     * Asks the daemon for /_ping on a new connection (so the log says at start whether the daemon answers,
     * and the first call finds the connection path warmed up); the answer never fails, it says what went
     * wrong. A connection that answered is left in the pool for the next call.
     */
    public CompletableFuture<PingAnswer> check() {
        return DaemonLookup.start(daemon, "/_ping", PROBE_TIMEOUT, true).thenApply(answer -> answer.problem() != null
                ? PingAnswer.failed(answer.problem())
                : answer.status() == 200 ? new PingAnswer(answer.apiVersion(), null)
                : PingAnswer.failed("it answered /_ping with status " + answer.status()));
    }

    /**
     * Asks the daemon {@code GET target} for the gateway itself (an object's labels, before a scoped call is
     * decided). The future completes on a daemon event loop and never fails.
     */
    public CompletableFuture<LookupAnswer> lookup(String target) {
        return DaemonLookup.start(daemon, target, timeout, false);
    }

    /**
     * Sends the exchange's call to the daemon as {@code target} (the checked path and query). Called on the
     * IO thread; the exchange stays open until the response has been relayed. With {@code hijack} the call
     * asks the daemon to switch to a raw stream (Upgrade: tcp), and a 101 answer is relayed both ways: only
     * for a rule marked hijack.
     *
     * @param wholeBody the request body already read in whole, sent with its exact length (empty: the call
     *                  goes without body and without Content-Type); null to relay the client's body as it comes
     * @param rewrite   how a 200 answer is rewritten before the client sees it, or null to relay it as it comes
     * @param document  whether the route answers one document, never a stream: a chunked answer is then held
     *                  up to a window, to go to the client whole
     */
    public void forward(HttpServerExchange exchange, String target, boolean hijack, byte[] wholeBody,
                        AnswerRewrite rewrite, boolean document) {
        HeaderMap in = exchange.getRequestHeaders();
        boolean chunked = wholeBody == null && in.contains(Headers.TRANSFER_ENCODING);
        long length = wholeBody != null ? wholeBody.length : exchange.getRequestContentLength();
        boolean hasBody = chunked || length > 0;
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(exchange.getRequestMethod().toString()), target, UNCHECKED_HEADERS);
        copyHeaders(in, request.headers(), hasBody);
        if (chunked) {
            request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (length >= 0) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (hijack) {
            // Hop-by-hop, so dropped above; this request is the one that may switch protocols.
            request.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
            request.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        }
        String description = exchange.getRequestMethod() + " " + target;
        Relay relay = new Relay(exchange, daemon, streams, traffic, request, hasBody, wholeBody, timeout, description,
                hijack, rewrite, document);
        exchange.dispatch(SameThreadExecutor.INSTANCE, relay::start);
    }

    /** @param hasBody whether a body goes with the call: without one, a Content-Type would describe nothing */
    private static void copyHeaders(HeaderMap in, HttpHeaders out, boolean hasBody) {
        HopByHop hopByHop = HopByHop.of(in.get(Headers.CONNECTION));
        for (HeaderValues values : in) {
            String name = values.getHeaderName().toString();
            if (hopByHop.isHopByHop(name)
                    || values.getHeaderName().equals(Headers.HOST)
                    // Undertow answers 100-continue itself; the daemon must not be asked to as well.
                    || values.getHeaderName().equals(Headers.EXPECT)
                    || values.getHeaderName().equals(Headers.CONTENT_LENGTH)
                    || (!hasBody && values.getHeaderName().equals(Headers.CONTENT_TYPE))) {
                continue;
            }
            for (String value : values) {
                out.add(name, value);
            }
        }
        out.set(HttpHeaderNames.HOST, DAEMON_HOST);
    }

    public Path socket() {
        return daemon.socket();
    }

    /** The daemon side's event loops, which other Netty channels of the gateway share; closed with it. */
    public EventLoopGroup eventLoops() {
        return daemon.eventLoops();
    }

    /** On an exchange switched to a raw stream: completed when the stream ends. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final AttachmentKey<CompletableFuture<StreamBytes>> HIJACKED = (AttachmentKey) AttachmentKey.create(CompletableFuture.class);

    /**
     * For a call switched to a raw stream (answered 101), what went through it, once it has ended; null
     * for any other call.
     */
    public static CompletableFuture<StreamBytes> hijacked(HttpServerExchange exchange) {
        return exchange.getAttachment(HIJACKED);
    }

    /** Whether the exchange's response was relayed as a stream (no length: events, followed logs). */
    public static boolean streamed(HttpServerExchange exchange) {
        return exchange.getAttachment(Streams.STREAMED) != null;
    }

    /** Responses streaming right now. */
    public int openStreams() {
        return streams.open();
    }

    /** Daemon connections open right now, idle in the pool or carrying a call. */
    public int daemonConnections() {
        return daemon.open();
    }

    /** Daemon connections waiting in the pool. */
    public int idleDaemonConnections() {
        return daemon.idle();
    }

    public Traffic traffic() {
        return traffic;
    }

    /** Ends every open stream cleanly, as at shutdown; calls with a length finish on their own. */
    public void endStreams() {
        streams.endAll();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
