package dockgate.proxy;

import dockgate.http.JsonError;
import io.netty.handler.codec.http.HttpHeaders;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The client's half of a switch to a raw stream: answers 101 with the daemon's headers, then gives the
 * client's connection to the {@link Tunnel} once Undertow has sent the answer. IO thread only.
 */
final class HijackAnswer {

    private static final Logger log = LoggerFactory.getLogger(HijackAnswer.class);

    private HijackAnswer() {
    }

    static void send(HttpServerExchange exchange, ResponseWriter.Upgrade upgrade, Streams streams, ResponseWriter owner) {
        Tunnel tunnel = upgrade.tunnel();
        if (!streams.tryOpen(owner)) {
            tunnel.close();
            log.warn("refused a stream for {} {}: {} streams open, the limit", exchange.getRequestMethod(),
                    exchange.getRequestURI(), streams.limit());
            JsonError.sendOwn(exchange, 503, "too many streams open at once (limit " + streams.limit() + ")");
            return;
        }
        HttpHeaders in = upgrade.head().headers();
        HopByHop hopByHop = HopByHop.of(in);
        HeaderMap out = exchange.getResponseHeaders();
        for (Map.Entry<String, String> header : in) {
            if (!hopByHop.isHopByHop(header.getKey())) {
                out.add(HttpString.tryFromString(header.getKey()), header.getValue());
            }
        }
        // However the client's connection ends (also before the answer is out, when the upgrade listener
        // never runs), the tunnel ends with it: its daemon connection and stream slot are not left behind.
        exchange.getConnection().addCloseListener(connection -> tunnel.close());
        exchange.putAttachment(DaemonProxy.HIJACKED, tunnel.finished());
        // Sets 101 with Connection: Upgrade and Upgrade: tcp; the listener runs once the answer is out.
        exchange.upgradeChannel("tcp", (connection, ex) -> tunnel.clientConnected(connection));
        exchange.endExchange();
    }
}
