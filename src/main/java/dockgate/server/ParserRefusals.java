package dockgate.server;

import dockgate.admin.Metrics;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * Hands each client connection to Undertow with a {@link ParseFailureAnswer} under it, so that a request
 * Undertow's own parser refuses gets dockgate's JSON error, a WARN line and a count like any other refused
 * request, instead of an empty 400 that nobody hears of. The root handler is wrapped to tell each
 * connection's answer when a request has reached dockgate and when it is done.
 */
public final class ParserRefusals implements OpenListener {

    private final OpenListener http;
    private final RefusalRecorder refusals;
    private final Function<StreamConnection, String> clientName;

    /**
     * @param http       Undertow's listener, with its root handler set
     * @param clientName the log's name for the client of a connection
     */
    public ParserRefusals(OpenListener http, Metrics metrics, Function<StreamConnection, String> clientName) {
        this.http = http;
        // The log names ParseFailureAnswer for these refusals, as it always has.
        this.refusals = new RefusalRecorder(metrics, ParseFailureAnswer.class);
        this.clientName = clientName;
        http.setRootHandler(watching(http.getRootHandler()));
    }

    /** A TCP client's name in the log, "address:port", as the access log writes it. */
    public static String peerAddress(StreamConnection connection) {
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        return peer == null ? "-" : peer.getHostString() + ":" + peer.getPort();
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        ParseFailureAnswer.install(connection, () -> clientName.apply(connection), refusals);
        http.handleEvent(connection);
    }

    private static HttpHandler watching(HttpHandler next) {
        return exchange -> {
            ParseFailureAnswer answer = ParseFailureAnswer.of(exchange.getConnection());
            if (answer != null) {
                answer.exchangeStarted(exchange);
            }
            next.handleRequest(exchange);
        };
    }

    @Override
    public HttpHandler getRootHandler() {
        return http.getRootHandler();
    }

    @Override
    public void setRootHandler(HttpHandler rootHandler) {
        http.setRootHandler(watching(rootHandler));
    }

    @Override
    public OptionMap getUndertowOptions() {
        return http.getUndertowOptions();
    }

    @Override
    public void setUndertowOptions(OptionMap undertowOptions) {
        http.setUndertowOptions(undertowOptions);
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return http.getBufferPool();
    }

    @Override
    public ConnectorStatistics getConnectorStatistics() {
        return http.getConnectorStatistics();
    }

    @Override
    public void closeConnections() {
        http.closeConnections();
    }
}
