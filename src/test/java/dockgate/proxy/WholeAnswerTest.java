package dockgate.proxy;

import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chunked answer of a route that answers one document reaches the client whole, with its length; one
 * past the window, or of a route that streams, goes as the daemon sends it; and one cut off by the daemon
 * before its end is a 502 the client can read, never part of a document.
 */
class WholeAnswerTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private static RawClient.Response get(int port, String target) throws IOException {
        try (RawClient client = new RawClient(port)) {
            return client.timeout(10_000).get(target);
        }
    }

    @Test
    void aChunkedListGoesWholeWithItsLength() throws IOException {
        int port = fixture.start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("[{\"Id\":\"a\"},");
            connection.chunk("{\"Id\":\"b\"}]");
            connection.endChunked();
        }).port();
        for (int call = 0; call < 3; call++) {
            RawClient.Response response = get(port, "/v1.41/containers/json?all=1");
            assertEquals(200, response.status());
            assertEquals("[{\"Id\":\"a\"},{\"Id\":\"b\"}]", response.body());
            assertEquals(String.valueOf(response.body().length()), response.header("Content-Length"));
            assertFalse(response.chunked(), response.toString());
            assertEquals("application/json", response.header("Content-Type"));
        }
    }

    @Test
    void aDocumentPastTheWindowGoesOnChunkedAndWhole() throws IOException {
        String piece = "x".repeat(16 * 1024);
        int pieces = 6;
        int port = fixture.start((request, connection) -> {
            connection.startChunked(200, "");
            for (int i = 0; i < pieces; i++) {
                connection.chunk(piece);
            }
            connection.endChunked();
        }).port();
        RawClient.Response response = get(port, "/v1.41/images/json");
        assertEquals(200, response.status());
        assertTrue(response.chunked(), response.headers().toString());
        assertEquals(piece.repeat(pieces), response.body());
    }

    @Test
    void aStreamIsNotHeld() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        int port = fixture.start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("{\"status\":\"first\"}\n");
            firstSeen.await(10, TimeUnit.SECONDS);
            connection.endChunked();
        }).port();
        try (RawClient client = new RawClient(port)) {
            client.timeout(5000).send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("{\"status\":\"first\"}\n", client.readChunk());
            firstSeen.countDown();
            assertNull(client.readChunk());
        }
    }

    @Test
    void aDocumentCutOffBeforeItsEndIsA502() throws IOException {
        int port = fixture.start((request, connection) -> {
            if (request.target().endsWith("/_ping")) {
                StandInDaemon.OK.respond(request, connection);
                return;
            }
            connection.startChunked(200, "");
            connection.chunk("[{\"Id\":\"a\"},");
            connection.close();
        }).port();
        RawClient.Response response = get(port, "/v1.41/containers/json");
        assertEquals(502, response.status());
        assertTrue(response.body().contains("in the middle of its answer"), response.body());
        assertFalse(response.body().contains("\"Id\""), response.body());
        assertEquals(200, get(port, "/_ping").status(), "the gateway keeps serving");
    }

    @Test
    void anAnswerWithItsLengthGoesAsItIs() throws IOException {
        StandInDaemon.Responder responder = (request, connection) -> connection.write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]");
        int port = fixture.start(responder).port();
        RawClient.Response response = get(port, "/v1.41/containers/json");
        assertEquals("[]", response.body());
        assertEquals("2", response.header("Content-Length"));
    }
}
