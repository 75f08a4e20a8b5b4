package dockgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Locale;
import java.util.Set;

/** Headers that describe one connection, not the message, and so never cross the gateway (RFC 9110 7.6.1). */
final class HopByHop {

    private static final Set<String> NAMES = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    /** True for a standard hop-by-hop header or one the sender listed in its own Connection header. */
    static boolean isHopByHop(String name, String connectionHeader) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (NAMES.contains(lower)) {
            return true;
        }
        if (connectionHeader == null) {
            return false;
        }
        for (String listed : connectionHeader.split(",")) {
            if (listed.trim().equalsIgnoreCase(lower)) {
                return true;
            }
        }
        return false;
    }

    static boolean isHopByHop(String name, HttpHeaders headers) {
        return isHopByHop(name, headers.get(HttpHeaderNames.CONNECTION));
    }
}
