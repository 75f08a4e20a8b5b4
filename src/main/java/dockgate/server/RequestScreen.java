package dockgate.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/**
 * Checks every request meets before the rules are consulted: forms that the daemon might read differently
 * from us, or that would turn the connection into something the rules cannot see.
 */
final class RequestScreen {

    /** Why a request is refused, and with which status. */
    record Problem(int status, String message) {
    }

    private RequestScreen() {
    }

    /** Upgrades are refused with this, unless a hijack rule allows the request. */
    static final Problem UPGRADE_REFUSED =
            new Problem(403, "connection upgrades (attach, exec, websocket, session) are not relayed");

    /** Returns null when the request may go on to the rules. */
    static Problem check(HttpServerExchange exchange, Limits limits) {
        HeaderMap headers = exchange.getRequestHeaders();
        int targetLength = exchange.getRequestURI().length() + exchange.getQueryString().length();
        if (targetLength > limits.maxTargetLength()) {
            return new Problem(414, "the request target is longer than " + limits.maxTargetLength() + " bytes");
        }
        if (headers.size() > limits.maxHeaders()) {
            return new Problem(431, "more than " + limits.maxHeaders() + " request headers");
        }
        if (headerBytes(headers) > limits.maxHeaderBytes()) {
            return new Problem(431, "the request headers are larger than " + limits.maxHeaderBytes() + " bytes");
        }
        if (exchange.getRequestContentLength() > limits.maxBodyBytes()) {
            return new Problem(413, "the request body is larger than " + limits.maxBodyBytes() + " bytes");
        }
        if (exchange.isHostIncludedInRequestURI()) {
            return new Problem(400, "absolute-form request targets are not accepted");
        }
        if ((headers.contains(Headers.UPGRADE) || connectionHasUpgrade(headers)) && !asksForRawStream(exchange)) {
            return UPGRADE_REFUSED;
        }
        boolean hasLength = headers.contains(Headers.CONTENT_LENGTH);
        boolean hasEncoding = headers.contains(Headers.TRANSFER_ENCODING);
        if (hasLength && hasEncoding) {
            return new Problem(400, "a request with both Content-Length and Transfer-Encoding is ambiguous");
        }
        if (headers.count(Headers.CONTENT_LENGTH) > 1) {
            return new Problem(400, "more than one Content-Length header");
        }
        if (hasEncoding && (headers.count(Headers.TRANSFER_ENCODING) > 1
                || !headers.getFirst(Headers.TRANSFER_ENCODING).equalsIgnoreCase("chunked"))) {
            return new Problem(400, "only Transfer-Encoding: chunked is accepted");
        }
        boolean hasBody = hasBody(exchange);
        if (hasBody && (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD))) {
            return new Problem(400, exchange.getRequestMethod() + " requests carry no body");
        }
        if (hasBody && headers.count(Headers.CONTENT_TYPE) > 1) {
            return new Problem(400, "more than one Content-Type header");
        }
        String contentType = hasBody ? headers.getFirst(Headers.CONTENT_TYPE) : null;
        if (contentType != null && !printableAscii(contentType)) {
            // Go reads the header as UTF-8, lower-cases it by Unicode rules and trims Unicode spaces: a
            // spelling with such bytes can mean a form to the daemon and nothing to us. Bytes, not guesses.
            return new Problem(400, "the Content-Type header has a byte outside printable ASCII");
        }
        if (contentType != null && isForm(contentType)) {
            // The daemon's Go server reads the fields of a form-encoded body as query parameters, ahead of
            // the URL's own: values no rule's query constraints ever saw. No Engine API call takes a form.
            return new Problem(400, "a form-encoded request body is not accepted: the daemon would read its"
                    + " fields as query parameters");
        }
        return null;
    }

    /** Whether the request carries a body: chunked, or a length above zero. */
    static boolean hasBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    /**
     * As Go's mime.ParseMediaType reads a header of printable ASCII: the part before ';', without the spaces
     * around it, in any case. Only for such headers: beyond ASCII, Go's case and space rules are not Java's.
     */
    private static boolean isForm(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one upgrade that may be relayed, and then only where a hijack rule allows the call: the Docker
     * clients' switch of a POST to a raw stream, {@code Upgrade: tcp} with {@code Connection: Upgrade}.
     */
    static boolean asksForRawStream(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues upgrade = headers.get(Headers.UPGRADE);
        // HTTP/1.0 has no upgrade: Undertow closes such a connection after the 101 instead of handing it over.
        return exchange.getRequestMethod().equals(Methods.POST) && exchange.isHttp11()
                && upgrade != null && upgrade.size() == 1 && upgrade.getFirst().trim().equalsIgnoreCase("tcp")
                && connectionHasUpgrade(headers);
    }

    private static long headerBytes(HeaderMap headers) {
        long bytes = 0;
        for (HeaderValues values : headers) {
            for (String value : values) {
                bytes += values.getHeaderName().length() + value.length() + 4;
            }
        }
        return bytes;
    }

    private static boolean connectionHasUpgrade(HeaderMap headers) {
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection == null) {
            return false;
        }
        for (String value : connection) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }
}
