package dockgate.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * Marks every call of one listener ({@code --listen ...,profile=NAME}) with the rules profile that decides
 * it, whatever the client's address: a Unix socket has none, and a TCP listener may serve one consumer.
 */
public final class BoundProfile implements HttpHandler {

    static final AttachmentKey<String> NAME = AttachmentKey.create(String.class);

    private final String profile;
    private final HttpHandler next;

    public BoundProfile(String profile, HttpHandler next) {
        this.profile = profile;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.putAttachment(NAME, profile);
        next.handleRequest(exchange);
    }
}
