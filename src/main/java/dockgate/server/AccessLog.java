package dockgate.server;

import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request when it ends: client, call, decision, status, bytes sent, milliseconds. */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("dockgate.access");

    private AccessLog() {
    }

    static void record(HttpServerExchange exchange, String decision, long startNanos) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String query = exchange.getQueryString();
        log.info("{} \"{} {}{}\" {} {} {} {}ms",
                client(exchange),
                printable(exchange.getRequestMethod().toString()),
                printable(exchange.getRequestURI()),
                query.isEmpty() ? "" : "?" + printable(query),
                decision,
                exchange.getStatusCode(),
                exchange.getResponseBytesSent(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }

    static String client(HttpServerExchange exchange) {
        java.net.InetSocketAddress address = exchange.getSourceAddress();
        return address == null ? "-" : address.getHostString() + ":" + address.getPort();
    }

    /** Hostile requests must not be able to forge log lines or smuggle terminal escapes into them. */
    static String printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"') {
                return escape(text);
            }
        }
        return text;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"') {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
