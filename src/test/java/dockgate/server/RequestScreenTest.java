package dockgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The screen on its own, over exchanges built in memory: each problem it finds, and what it lets by. */
class RequestScreenTest {

    private static HttpServerExchange exchange(String method, String... headers) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(HttpString.tryFromString(method));
        exchange.setProtocol(Protocols.HTTP_1_1);
        exchange.setRequestURI("/v1.41/images/a/tag");
        exchange.setQueryString("repo=b");
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getRequestHeaders().add(HttpString.tryFromString(headers[i]), headers[i + 1]);
        }
        return exchange;
    }

    private static RequestScreen.Problem check(HttpServerExchange exchange) {
        return RequestScreen.check(exchange, Limits.DEFAULTS);
    }

    @Test
    void aPlainCallPasses() {
        assertNull(check(exchange("POST", "Content-Length", "0", "Content-Type", "text/plain")));
        assertNull(check(exchange("POST", "Content-Length", "2", "Content-Type", "application/json; charset=utf-8")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED",
            "  application/x-www-form-urlencoded ; charset=utf-8", "application/x-www-form-urlencoded;garbage"})
    void aFormBodyIsRefusedInEveryAsciiSpelling(String type) {
        RequestScreen.Problem problem = check(exchange("POST", "Content-Length", "5", "Content-Type", type));
        assertEquals(400, problem.status());
        assertTrue(problem.message().startsWith("a form-encoded request body is not accepted"), problem.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"appl\u00c4\u00b0cation/x-www-form-urlencoded", "application/x-www-form-urlencoded\u00c2\u00a0",
            "application/json\u00e2\u0080\u00a8", "application/json\t"})
    void aContentTypeWithABytePastPrintableAsciiIsRefused(String type) {
        RequestScreen.Problem problem = check(exchange("POST", "Content-Length", "5", "Content-Type", type));
        assertEquals(400, problem.status());
        assertEquals("the Content-Type header has a byte outside printable ASCII", problem.message());
    }

    @Test
    void withoutABodyTheContentTypeIsNotRead() {
        // Nothing for the daemon to read as a form; the gateway drops the header before forwarding.
        assertNull(check(exchange("POST", "Content-Length", "0", "Content-Type", "application/x-www-form-urlencoded")));
    }

    @Test
    void framingThatReadsTwoWaysIsRefused() {
        assertEquals(400, check(exchange("POST", "Content-Length", "5", "Transfer-Encoding", "chunked")).status());
        assertEquals(400, check(exchange("POST", "Content-Length", "5", "Content-Length", "5")).status());
        assertEquals(400, check(exchange("POST", "Transfer-Encoding", "gzip, chunked")).status());
        assertEquals(400, check(exchange("POST", "Transfer-Encoding", "chunked", "Content-Type", "a/b",
                "Content-Type", "c/d")).status());
        assertEquals(400, check(exchange("GET", "Content-Length", "1")).status());
        assertEquals(400, check(exchange("HEAD", "Transfer-Encoding", "chunked")).status());
    }

    @Test
    void limitsAreAnsweredWithTheirStatus() {
        assertEquals(413, check(exchange("POST", "Content-Length", Long.toString(Limits.DEFAULTS.maxBodyBytes() + 1))).status());
        HttpServerExchange longTarget = exchange("GET");
        longTarget.setRequestURI("/" + "a".repeat(Limits.DEFAULTS.maxTargetLength()));
        assertEquals(414, check(longTarget).status());
        String[] many = new String[2 * (Limits.DEFAULTS.maxHeaders() + 1)];
        for (int i = 0; i < many.length; i += 2) {
            many[i] = "X-H" + i;
            many[i + 1] = "v";
        }
        assertEquals(431, check(exchange("GET", many)).status());
        assertEquals(431, check(exchange("GET", "X-Big", "v".repeat(Limits.DEFAULTS.maxHeaderBytes()))).status());
    }

    @Test
    void upgradesAreRefusedButTheRawStreamOfAPostIsLeftToTheRules() {
        assertSame(RequestScreen.UPGRADE_REFUSED, check(exchange("GET", "Connection", "Upgrade", "Upgrade", "websocket")));
        assertSame(RequestScreen.UPGRADE_REFUSED, check(exchange("GET", "Connection", "keep-alive, UPGRADE")));
        assertSame(RequestScreen.UPGRADE_REFUSED, check(exchange("POST", "Upgrade", "h2c", "Connection", "Upgrade")));
        HttpServerExchange attach = exchange("POST", "Upgrade", "tcp", "Connection", "Upgrade");
        assertNull(check(attach));
        assertTrue(RequestScreen.asksForRawStream(attach));
        HttpServerExchange http10 = exchange("POST", "Upgrade", "tcp", "Connection", "Upgrade");
        http10.setProtocol(Protocols.HTTP_1_0);
        assertFalse(RequestScreen.asksForRawStream(http10));
        assertSame(RequestScreen.UPGRADE_REFUSED, check(http10));
    }

    @Test
    void hasBodyMeansChunkedOrALengthAboveZero() {
        assertTrue(RequestScreen.hasBody(exchange("POST", "Transfer-Encoding", "chunked")));
        assertTrue(RequestScreen.hasBody(exchange("POST", "Content-Length", "1")));
        assertFalse(RequestScreen.hasBody(exchange("POST", "Content-Length", "0")));
        assertFalse(RequestScreen.hasBody(exchange(Methods.POST_STRING)));
    }
}
