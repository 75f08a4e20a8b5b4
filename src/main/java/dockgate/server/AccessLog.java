package dockgate.server;

import dockgate.proxy.StreamBytes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request when it ends: client, call, decision, status, bytes sent, milliseconds, and the
 * rules profile when it is not the default one ({@code profile=NAME}, last so the fields before keep
 * their places). A call switched to a raw stream (attach, exec) is logged when the stream ends: its bytes
 * and milliseconds are the whole stream's, and {@code hijacked from-client=N to-client=N} says what went
 * each way.
 *
 * <p>The line has slf4j-simple's shape and obeys its level for {@code dockgate.access}, but is put
 * together here: formatting the date and the arguments through the logger was a fifth of the IO
 * thread's time under load. The date is formatted once a second and the line built in a reused buffer.
 */
final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("dockgate.access");
    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(256));

    /** The current second, formatted: "2026-11-27T20:01:48" and "+0000". */
    private record Second(long epochSecond, String dateTime, String offset) {
    }

    private static volatile Second second = new Second(-1, "", "");

    private AccessLog() {
    }

    static void record(HttpServerExchange exchange, String decision, long startNanos) {
        record(exchange, decision, null, startNanos);
    }

    /** @param profile the rules profile that decided, or null for the default profile */
    static void record(HttpServerExchange exchange, String decision, String profile, long startNanos) {
        if (log.isInfoEnabled()) {
            write(client(exchange), exchange.getRequestMethod().toString(), exchange.getRequestURI(),
                    exchange.getQueryString(), decision, status(exchange), exchange.getResponseBytesSent(),
                    startNanos, profile, null);
        }
    }

    /**
     * A call switched to a raw stream, once the 101 is out: its line is written when the stream ends, on
     * whichever thread ends it.
     */
    static void recordStream(HttpServerExchange exchange, String decision, String profile, long startNanos,
                             CompletableFuture<StreamBytes> stream) {
        String client = client(exchange);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestURI();
        String query = exchange.getQueryString();
        int status = status(exchange);
        stream.thenAccept(bytes -> {
            if (log.isInfoEnabled()) {
                write(client, method, path, query, decision, status, bytes.toClient(), startNanos, profile, bytes);
            }
        });
    }

    /** A request that never became an exchange (Undertow's parser refused it); the target is as it was read. */
    static void record(String client, String method, String target, String decision, int status, long bytesSent,
                       long startNanos) {
        if (log.isInfoEnabled()) {
            write(client, method, target, "", decision, status, bytesSent, startNanos, null, null);
        }
    }

    private static void write(String client, String method, String path, String query, String decision, int status,
                              long bytesSent, long startNanos, String profile, StreamBytes stream) {
        StringBuilder line = LINE.get();
        line.setLength(0);
        appendTime(line, System.currentTimeMillis());
        line.append(" INFO access - ").append(client)
                .append(" \"").append(printable(method))
                .append(' ').append(printable(path));
        if (!query.isEmpty()) {
            line.append('?').append(printable(query));
        }
        line.append("\" ").append(decision)
                .append(' ').append(status == 0 ? "-" : Integer.toString(status))
                .append(' ').append(bytesSent)
                .append(' ').append((System.nanoTime() - startNanos) / 1_000_000).append("ms");
        if (stream != null) {
            line.append(" hijacked from-client=").append(stream.fromClient()).append(" to-client=").append(stream.toClient());
        }
        if (profile != null) {
            line.append(" profile=").append(profile);
        }
        line.append('\n');
        System.err.append(line);
    }

    /** The status the client was sent; 0 (logged as '-') when it was sent no answer at all. */
    static int status(HttpServerExchange exchange) {
        return exchange.isResponseStarted() ? exchange.getStatusCode() : 0;
    }

    static void appendTime(StringBuilder line, long millis) {
        long epochSecond = millis / 1000;
        Second current = second;
        if (current.epochSecond() != epochSecond) {
            // java.util's formatter, which the logger's own dates have loaded already: java.time's formatters
            // loaded some 60 classes more in the first call. A new one each second, as it is not thread-safe;
            // in the root locale, so that the digits are ASCII and the years Gregorian whatever the locale.
            String formatted = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT).format(new Date(epochSecond * 1000));
            current = new Second(epochSecond, formatted.substring(0, 19), formatted.substring(19));
            second = current;
        }
        int fraction = (int) (millis % 1000);
        line.append(current.dateTime()).append('.')
                .append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10)).append((char) ('0' + fraction % 10))
                .append(current.offset());
    }

    /** "address:port" of the client, worked out once per connection: formatting it per call showed in profiles. */
    static String client(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        String client = connection.getAttachment(ClientLabel.KEY);
        if (client == null) {
            java.net.InetSocketAddress address = exchange.getSourceAddress();
            client = address == null ? "-" : address.getHostString() + ":" + address.getPort();
            connection.putAttachment(ClientLabel.KEY, client);
        }
        return client;
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
