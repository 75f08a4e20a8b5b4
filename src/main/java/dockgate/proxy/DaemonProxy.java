package dockgate.proxy;

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
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.nio.file.Path;
import java.time.Duration;

/** Forwards allowed calls to the daemon's Unix socket and streams the answers back. */
public final class DaemonProxy implements AutoCloseable {

    /** The Docker CLI sends this Host over a Unix socket; the daemon insists on some Host. */
    static final String UPSTREAM_HOST = "api.moby.localhost";
    /** Undertow's parser has already refused malformed header names and values; checking again costs time. */
    private static final HttpHeadersFactory UNCHECKED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final DaemonConnections daemon;
    private final Streams streams;
    private final Duration timeout;

    public DaemonProxy(Path socket, Duration timeout, int maxStreams, int threads, int maxIdleConnections) {
        this.daemon = new DaemonConnections(socket, threads, maxIdleConnections);
        this.streams = new Streams(maxStreams);
        this.timeout = timeout;
    }

    /** Asks the daemon for /_ping in the background and logs the answer; see {@link DaemonProbe}. */
    public void probe() {
        DaemonProbe.start(daemon);
    }

    /**
     * Sends the exchange's call to the daemon as {@code target} (the checked path and the original query).
     * Called on the IO thread from a handler; the exchange stays open until the response has been relayed.
     */
    public void forward(HttpServerExchange exchange, String target) {
        forward(exchange, target, false);
    }

    /**
     * As {@link #forward(HttpServerExchange, String)}; with {@code hijack} the call asks the daemon to switch
     * to a raw stream (Upgrade: tcp), and a 101 answer is relayed both ways. Only for a rule marked hijack.
     */
    public void forward(HttpServerExchange exchange, String target, boolean hijack) {
        HeaderMap in = exchange.getRequestHeaders();
        boolean chunked = in.contains(Headers.TRANSFER_ENCODING);
        long length = exchange.getRequestContentLength();
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(exchange.getRequestMethod().toString()), target, UNCHECKED_HEADERS);
        copyHeaders(in, request.headers());
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
        boolean hasBody = chunked || length > 0;
        String description = exchange.getRequestMethod() + " " + target;
        Relay relay = new Relay(exchange, daemon, streams, request, hasBody, timeout, description, hijack);
        exchange.dispatch(SameThreadExecutor.INSTANCE, relay::start);
    }

    private static void copyHeaders(HeaderMap in, HttpHeaders out) {
        HopByHop hopByHop = HopByHop.of(in.getFirst(Headers.CONNECTION));
        for (HeaderValues values : in) {
            String name = values.getHeaderName().toString();
            if (hopByHop.isHopByHop(name)
                    || values.getHeaderName().equals(Headers.HOST)
                    // Undertow answers 100-continue itself; the daemon must not be asked to as well.
                    || values.getHeaderName().equals(Headers.EXPECT)
                    || values.getHeaderName().equals(Headers.CONTENT_LENGTH)) {
                continue;
            }
            for (String value : values) {
                out.add(name, value);
            }
        }
        out.set(HttpHeaderNames.HOST, UPSTREAM_HOST);
    }

    public Path socket() {
        return daemon.socket();
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
