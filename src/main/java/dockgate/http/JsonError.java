package dockgate.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Errors in the daemon's own shape, {@code {"message":"..."}}, so the docker CLI and every SDK print the
 * message as they would print the daemon's.
 */
public final class JsonError {

    /** How every error dockgate itself writes begins, so that a client's user can tell it from the daemon's. */
    public static final String PREFIX = "dockgate: ";

    private JsonError() {
    }

    /** Sends an error of dockgate's own, marked as such, and ends the exchange. IO thread. */
    public static void sendOwn(HttpServerExchange exchange, int status, String message) {
        send(exchange, status, PREFIX + message);
    }

    /** Sends the error and ends the exchange. IO thread. */
    public static void send(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body(message));
    }

    public static String body(String message) {
        StringBuilder json = new StringBuilder(message.length() + 16).append("{\"message\":");
        return appendString(json, message).append("}\n").toString();
    }

    /** Appends the text as a JSON string, quoted; anything outside printable ASCII is escaped. */
    public static StringBuilder appendString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
