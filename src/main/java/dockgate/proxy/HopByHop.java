package dockgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Set;
import java.util.TreeSet;

/** Headers that describe one connection, not the message, and so never cross the gateway (RFC 9110 7.6.1). */
final class HopByHop {

    private static final Set<String> NAMES = caseInsensitive(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    /** The headers one message marks as hop-by-hop: the standard ones and those its Connection header lists. */
    private final Set<String> listed;

    private HopByHop(String connectionHeader) {
        if (connectionHeader == null) {
            listed = Set.of();
        } else {
            listed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (String name : connectionHeader.split(",")) {
                listed.add(name.trim());
            }
        }
    }

    /** For a message whose Connection header (possibly null) is given. */
    static HopByHop of(String connectionHeader) {
        return new HopByHop(connectionHeader);
    }

    static HopByHop of(HttpHeaders headers) {
        return new HopByHop(headers.get(HttpHeaderNames.CONNECTION));
    }

    boolean isHopByHop(String name) {
        return NAMES.contains(name) || listed.contains(name);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Set.of(names));
        return set;
    }
}
