package dockgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reasons given for requests Undertow refused, worked out from what was kept of their request line. */
class UnparsedRequestTest {

    private static UnparsedRequest badRequest(String line) {
        return UnparsedRequest.read(line, false, "Bad Request");
    }

    @Test
    void theMethodAndTargetAreTakenFromTheLineAsFarAsItWasRead() {
        assertEquals(new UnparsedRequest("GET", "/_ping%zz", "bad request path: malformed percent escape in path"),
                badRequest("GET /_ping%zz HTTP/1.1"));
        // Undertow may stop before the line ends: the line is what was read up to the flaw.
        assertEquals(new UnparsedRequest("GET", "/containers/json?all=%z", "bad query: malformed %-escape in query string"),
                badRequest("GET /containers/json?all=%z"));
    }

    @Test
    void aLineWithoutTargetOrMethodNamesNone() {
        assertEquals(new UnparsedRequest("-", "-", "an empty line where a request line belongs"), badRequest(""));
        assertEquals(new UnparsedRequest("-", "-", "malformed request line"), badRequest("GET\t/_ping\tHTTP/1.1"));
        assertEquals(new UnparsedRequest("-", "-", "malformed request line"), badRequest(" GET /_ping HTTP/1.1"));
        assertEquals(new UnparsedRequest("GET", "-", "malformed request line"), badRequest("GET  /_ping HTTP/1.1"));
        assertEquals(new UnparsedRequest("-", "-", "the request could not be parsed"),
                UnparsedRequest.read(null, false, "Bad Request"));
    }

    @Test
    void aFlawInTheMethodOrVersionIsNamed() {
        assertEquals("malformed method", badRequest("GE(T /_ping HTTP/1.1").reason());
        assertEquals("the request line has no HTTP version", badRequest("GET /_ping").reason());
        assertEquals("unsupported protocol version 'HTTP/2.0'", badRequest("GET /_ping HTTP/2.0").reason());
        assertEquals("unsupported protocol version 'http/1.1'", badRequest("GET /_ping http/1.1").reason());
    }

    @Test
    void aWellFormedLineMeansTheHeadFailedElsewhere() {
        assertEquals(new UnparsedRequest("GET", "/_ping", "the request head could not be parsed"),
                badRequest("GET /_ping HTTP/1.1"));
        assertEquals("the request line is too long", UnparsedRequest.read("GET /" + "a".repeat(100), true, "Bad Request").reason());
    }

    @Test
    void queryCharactersUndertowRefusesAreNamed() {
        assertEquals("bad query: non-ASCII character in query string", badRequest("GET /x?a=caf\u00c3\u00a9 HTTP/1.1").reason());
        assertEquals("bad query: control character in query string", badRequest("GET /x?a=\u0001 HTTP/1.1").reason());
        assertEquals("bad query: control character in query string", badRequest("GET /x?a=\u007f HTTP/1.1").reason());
        assertEquals("bad query: character '\"' not allowed in query string", badRequest("GET /x?a=\"b\" HTTP/1.1").reason());
        assertEquals("bad query: character '#' not allowed in query string", badRequest("GET /x?a=b#c HTTP/1.1").reason());
        assertEquals("bad query: malformed %-escape in query string", badRequest("GET /x?a=%u0041 HTTP/1.1").reason());
        // '?' and '/' are fine in a query; the refusal must have been for something else.
        assertEquals("the request head could not be parsed", badRequest("GET /x?a=1/?%41 HTTP/1.1").reason());
    }

    @Test
    void theHostChecksAreToldByUndertowsReasonPhrase() {
        assertEquals(new UnparsedRequest("GET", "http://[::1]/_ping", "absolute-form request targets are not accepted"),
                UnparsedRequest.read("GET http://[::1]/_ping HTTP/1.1", false, "URI Host Header NO MATCH"));
        assertEquals("an HTTP/1.1 request needs a Host header",
                UnparsedRequest.read("GET /_ping HTTP/1.1", false, "No Host Header").reason());
        assertEquals("more than one Host header",
                UnparsedRequest.read("GET /_ping HTTP/1.1", false, "Only One Host Header Allowed").reason());
        assertEquals("malformed Host header",
                UnparsedRequest.read("GET /_ping HTTP/1.1", false, "Host Header Malformed IP-Literal").reason());
    }
}
