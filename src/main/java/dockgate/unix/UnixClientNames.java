package dockgate.unix;

import dockgate.server.ClientLabel;
import io.undertow.server.HttpHandler;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.StreamConnection;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log's name for each client of a Unix socket listener, "unix:pid=123,uid=0" as the kernel reported it.
 * Undertow only sees the pipe end a client's bytes arrive on, so the names are kept by pipe end.
 */
public final class UnixClientNames {

    private final String fallback;
    private final Map<StreamConnection, String> names = new ConcurrentHashMap<>();

    public UnixClientNames(Path path) {
        this.fallback = "unix:" + path;
    }

    void put(StreamConnection farEnd, String name) {
        names.put(farEnd, name);
    }

    void remove(StreamConnection farEnd) {
        names.remove(farEnd);
    }

    /** The name of the client whose bytes arrive on this pipe end. */
    public String name(StreamConnection farEnd) {
        // A client that sent its call and left at once may be gone from the map already.
        return names.getOrDefault(farEnd, fallback);
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
