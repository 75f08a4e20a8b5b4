package dockgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Headers that describe one connection, not the message, and so never cross the gateway (RFC 9110 7.6.1). */
final class HopByHop {

    private static final Set<String> NAMES = caseInsensitive(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    /** The headers one message marks as hop-by-hop: the standard ones and those its Connection header lists. */
    private final Set<String> listed;

    private HopByHop(Iterable<String> connectionHeaders) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String header : connectionHeaders) {
            for (String name : header.split(",")) {
                names.add(name.trim());
            }
        }
        listed = names;
    }

    /**
     * For a message whose Connection headers are given (none, one, or several: every one of them lists
     * names, so a second Connection header cannot smuggle a hop-by-hop header across).
     */
    static HopByHop of(Iterable<String> connectionHeaders) {
        return new HopByHop(connectionHeaders == null ? List.of() : connectionHeaders);
    }

    static HopByHop of(String connectionHeader) {
        return of(connectionHeader == null ? List.<String>of() : List.of(connectionHeader));
    }

    static HopByHop of(HttpHeaders headers) {
        return of(headers.getAll(HttpHeaderNames.CONNECTION));
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
