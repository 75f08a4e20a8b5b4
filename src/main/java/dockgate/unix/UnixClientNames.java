package dockgate.unix;

import dockgate.server.ClientLabel;
import io.undertow.server.HttpHandler;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.StreamConnection;

import java.nio.file.Path;

/**
 * The log's name for each client of a Unix socket listener, "unix:pid=123,uid=0" as the kernel reported it
 * when the client connected.
 */
public final class UnixClientNames {

    private final String fallback;

    public UnixClientNames(Path path) {
        this.fallback = "unix:" + path;
    }

    /** The name of the client on this connection. */
    public String name(StreamConnection connection) {
        return connection instanceof UnixClientConnection client ? client.label() : fallback;
    }

    /** Names each connection before the rest of the gateway sees its first call. */
    public HttpHandler naming(HttpHandler next) {
        return exchange -> {
            ServerConnection connection = exchange.getConnection();
            if (!ClientLabel.isSet(connection) && connection instanceof HttpServerConnection http) {
                ClientLabel.set(connection, name(http.getChannel()));
            }
            next.handleRequest(exchange);
        };
    }
}
