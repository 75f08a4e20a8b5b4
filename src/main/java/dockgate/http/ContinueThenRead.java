package dockgate.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;

import java.io.IOException;

/**
 * The start of reading a request body: a client that sent {@code Expect: 100-continue} waits for the
 * {@code 100 Continue} before it sends the body, so that goes out first. Only once the call was allowed,
 * so a refused client never gets invited to upload. IO thread of the exchange.
 */
public final class ContinueThenRead {

    private ContinueThenRead() {
    }

    /**
     * @param read       starts reading the body; called at once, or after the 100 Continue went out
     * @param clientGone called instead when the 100 Continue could not be sent
     */
    public static void start(HttpServerExchange exchange, Runnable read, Runnable clientGone) {
        if (!HttpContinue.requiresContinueResponse(exchange)) {
            read.run();
            return;
        }
        HttpContinue.sendContinueResponse(exchange, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                read.run();
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                clientGone.run();
            }
        });
    }
}
