package dockgate.proxy;

import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the daemon answers an ordinary call, the gateway keeps reading the client's connection (it saves
 * turning the reads off and on for every call). What it reads then must change nothing the client sees: a
 * request sent meanwhile is answered after the first, and a client that shut its sending side still gets
 * its answer.
 */
class ClientReadsDuringACallTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    @Test
    void aRequestSentWhileTheDaemonAnswersIsAnsweredNext() throws Exception {
        CountDownLatch secondSent = new CountDownLatch(1);
        int port = fixture.start((request, connection) -> {
            if (request.target().equals("/v1.41/version")) {
                // Held until the client has sent its next request, which the gateway reads meanwhile.
                assertTrue(secondSent.await(10, TimeUnit.SECONDS));
                connection.send(200, "application/json", "{\"Version\":\"first\"}");
            } else {
                connection.send(200, "application/json", "{\"Version\":\"second\"}");
            }
        }).port();
        try (RawClient client = new RawClient(port).timeout(10_000)) {
            client.sendGet("/v1.41/version");
            awaitRequests(1);
            client.sendGet("/v1.41/info");
            secondSent.countDown();
            RawClient.Response first = client.read();
            RawClient.Response second = client.read();
            assertEquals(200, first.status());
            assertEquals("{\"Version\":\"first\"}", first.body());
            assertEquals(200, second.status());
            assertEquals("{\"Version\":\"second\"}", second.body());
            // Still in step: a third call on the same connection gets its own answer.
            assertEquals("{\"Version\":\"second\"}", client.get("/v1.41/info").body());
        }
        assertEquals(List.of("/v1.41/version", "/v1.41/info", "/v1.41/info"),
                fixture.daemon().requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void aClientThatShutItsSendingSideStillGetsItsAnswer() throws Exception {
        CountDownLatch shut = new CountDownLatch(1);
        boolean[] closedByGateway = new boolean[1];
        int port = fixture.start((request, connection) -> {
            assertTrue(shut.await(10, TimeUnit.SECONDS));
            // Time for the gateway to act on the client's end of stream: one that took it for a client gone
            // would drop this call within the second.
            closedByGateway[0] = connection.awaitClosedByGateway(1000);
            if (!closedByGateway[0]) {
                connection.send(200, "application/json", "{\"Version\":\"answered\"}");
            }
        }).port();
        try (RawClient client = new RawClient(port).timeout(10_000)) {
            client.sendGet("/v1.41/version");
            awaitRequests(1);
            client.shutdownOutput();
            shut.countDown();
            RawClient.Response answer = client.read();
            assertEquals(200, answer.status());
            assertEquals("{\"Version\":\"answered\"}", answer.body());
        }
        assertFalse(closedByGateway[0]);
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixture.daemon().requests().size() < count) {
            assertTrue(System.nanoTime() < deadline, "the daemon never got the call");
            Thread.onSpinWait();
        }
    }
}
