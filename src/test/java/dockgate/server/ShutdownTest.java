package dockgate.server;

import dockgate.Gateway;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing the gateway: calls in flight finish, streams end cleanly, nothing new is taken. */
class ShutdownTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    @Test
    void callsInFlightFinishAndStreamsEndWithTheirTerminator() throws Exception {
        CountDownLatch slowCallArrived = new CountDownLatch(1);
        CountDownLatch shuttingDown = new CountDownLatch(1);
        Gateway gateway = fixture.start((request, connection) -> {
            if (request.target().contains("/events")) {
                connection.startChunked(200, "");
                connection.chunk("{\"a\":1}\n");
                shuttingDown.await(30, TimeUnit.SECONDS);
                connection.awaitClosedByGateway(10_000);
            } else if (request.target().contains("/info")) {
                slowCallArrived.countDown();
                shuttingDown.await(30, TimeUnit.SECONDS);
                connection.send(200, "application/json", "{\"slow\":\"but complete\"}");
            } else {
                StandInDaemon.OK.respond(request, connection);
            }
        });
        int port = gateway.port();
        try (RawClient stream = new RawClient(port); RawClient slow = new RawClient(port); RawClient idle = new RawClient(port)) {
            assertEquals(200, idle.get("/_ping").status());
            stream.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, stream.readHead().status());
            assertEquals("{\"a\":1}\n", stream.readChunk());
            slow.send("GET /v1.41/info HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(slowCallArrived.await(5, TimeUnit.SECONDS));

            long started = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
            // The stream ends at once, properly terminated, even while the slow call is still running.
            assertNull(stream.readChunk());
            assertThrows(ConnectException.class, () -> new RawClient(port).close(), "a new connection was accepted");
            // A kept-alive connection asking for more is told why, and closed.
            RawClient.Response refused = idle.get("/_ping");
            assertEquals(503, refused.status());
            assertEquals("{\"message\":\"dockgate: the gateway is shutting down\"}\n", refused.body());
            assertTrue(idle.closedByServer());
            shuttingDown.countDown();
            RawClient.Response finished = slow.read();
            assertEquals(200, finished.status());
            assertEquals("{\"slow\":\"but complete\"}", finished.body());
            closing.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "shutdown took 5 s or more");
        }
    }
}
