package dockgate.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts client connections from their first request to their close, so that one over the limit can be
 * told so (503) instead of silently waiting. Connections that never send a request are the head and idle
 * timeouts' business.
 */
final class ConnectionCount {

    private static final AttachmentKey<Boolean> COUNTED = AttachmentKey.create(Boolean.class);

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCount(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    int open() {
        return open.get();
    }

    /** False when this request opened a connection beyond the limit. IO thread. */
    boolean admit(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        if (connection.getAttachment(COUNTED) != null) {
            return true;
        }
        connection.putAttachment(COUNTED, Boolean.TRUE);
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return false;
        }
        connection.addCloseListener(closed -> open.decrementAndGet());
        return true;
    }
}
