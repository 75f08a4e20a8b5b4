package dockgate.server;

import dockgate.Config;
import dockgate.Gateway;

import dockgate.server.Limits;
import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every limit, hit: a clear status, nothing reaching the daemon, and the gateway still serving. */
class LimitsTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private final CountDownLatch endStreams = new CountDownLatch(1);
    private StandInDaemon daemon;
    private Gateway gateway;

    @AfterEach
    void endStreams() {
        endStreams.countDown(); // before the fixture closes the gateway, which waits for streams to end
    }

    /** /events streams until the test ends; everything else is a small JSON answer. */
    private void start(Limits limits) throws IOException {
        daemon = fixture.daemon(fixture.socket(), (request, connection) -> {
            if (request.target().contains("/events")) {
                connection.startChunked(200, "");
                connection.chunk("{}\n");
                endStreams.await(30, TimeUnit.SECONDS);
                connection.endChunked();
            } else {
                StandInDaemon.OK.respond(request, connection);
            }
        });
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), Profile.builtIn()).withLimits(limits));
    }

    private static Limits limits(int maxConnections, int maxStreams, Duration headTimeout, Duration idleTimeout) {
        Limits d = Limits.DEFAULTS;
        return new Limits(d.maxTargetLength(), d.maxHeaderBytes(), d.maxHeaders(), d.maxBodyBytes(),
                headTimeout, idleTimeout, maxConnections, maxStreams);
    }

    private void assertStillServing() throws IOException {
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    private RawClient.Response refused(String request) throws IOException {
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send(request).read();
            assertTrue(response.body().startsWith("{\"message\":\"dockgate: "), response.body());
            return response;
        }
    }

    @Test
    void sizeLimitsAnswer414And431And413() throws IOException {
        start(Limits.DEFAULTS);
        String longPath = "/v1.41/containers/" + "a".repeat(9000) + "/json";
        assertEquals(414, refused("GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertEquals(414, refused("GET /_ping?q=" + "x".repeat(8400) + " HTTP/1.1\r\nHost: x\r\n\r\n").status());

        StringBuilder many = new StringBuilder("GET /_ping HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 120; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertEquals(431, refused(many + "\r\n").status());
        assertEquals(431, refused("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n").status());

        assertEquals(413, refused("POST /v1.41/images/a/tag?repo=b HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (17L * 1024 * 1024) + "\r\n\r\n").status());
        assertEquals(List.of(), daemon.requests());
        assertStillServing();
    }

    @Test
    void aChunkedBodyThatOutgrowsTheLimitIsCutOff() throws Exception {
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        Limits d = Limits.DEFAULTS;
        Limits small = new Limits(d.maxTargetLength(), d.maxHeaderBytes(), d.maxHeaders(), 1024,
                d.headTimeout(), d.idleTimeout(), d.maxConnections(), d.maxStreams());
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), Profile.parse("test", "POST /build\nGET /_ping\n"))
                .withLimits(small));
        try (RawClient client = new RawClient(gateway.port())) {
            client.send("POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ("400\r\n" + "z".repeat(1024) + "\r\n").repeat(4) + "0\r\n\r\n");
            assertTrue(client.timeout(5000).closedByServer());
        }
        // Whatever part reached the daemon, it never received a complete body beyond the limit.
        assertTrue(daemon.requests().stream().noneMatch(r -> r.body().length > 1024));
        assertStillServing();
    }

    @Test
    void aHeadFarBeyondTheLimitsIsCutOffWithoutAnswer() throws IOException {
        start(Limits.DEFAULTS);
        try (RawClient client = new RawClient(gateway.port())) {
            client.send("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Huge: " + "h".repeat(200_000) + "\r\n\r\n");
            assertTrue(client.timeout(5000).closedByServer());
        } catch (IOException e) {
            // The gateway may close while the client is still writing: that is the expected outcome too.
        }
        assertEquals(List.of(), daemon.requests());
        assertStillServing();
    }

    @Test
    void streamsBeyondTheLimitGet503AndTheSlotComesBack() throws Exception {
        start(limits(100, 2, Duration.ofSeconds(10), Duration.ofSeconds(120)));
        List<RawClient> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RawClient stream = new RawClient(gateway.port());
            stream.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, stream.readHead().status());
            assertEquals("{}\n", stream.readChunk());
            streams.add(stream);
        }
        try (RawClient third = new RawClient(gateway.port())) {
            RawClient.Response response = third.get("/v1.41/events");
            assertEquals(503, response.status());
            assertTrue(response.body().contains("too many streams open at once (limit 2)"), response.body());
        }
        // Short calls are not streams and are not held back.
        assertStillServing();
        streams.remove(0).close();
        awaitStatus("/v1.41/events", 200);
        for (RawClient stream : streams) {
            stream.close();
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503AndTheSlotComesBack() throws Exception {
        start(limits(3, 100, Duration.ofSeconds(10), Duration.ofSeconds(120)));
        List<RawClient> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient client = new RawClient(gateway.port());
            assertEquals(200, client.get("/_ping").status());
            held.add(client);
        }
        try (RawClient fourth = new RawClient(gateway.port())) {
            RawClient.Response response = fourth.get("/_ping");
            assertEquals(503, response.status());
            assertTrue(response.body().contains("too many client connections (limit 3)"), response.body());
            assertTrue(fourth.closedByServer());
        }
        // The held connections go on working.
        assertEquals(200, held.get(0).get("/_ping").status());
        held.remove(0).close();
        awaitStatus("/_ping", 200);
        for (RawClient client : held) {
            client.close();
        }
    }

    /** Retries on new connections until the status comes, within a deadline. */
    private void awaitStatus(String target, int status) {
        await("GET " + target + " answers " + status).atMost(Duration.ofSeconds(5)).until(() -> {
            try (RawClient client = new RawClient(gateway.port())) {
                return client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead().status();
            }
        }, equalTo(status));
    }

    @Test
    void slowClientsAreCutOffAndDoNotStopOthersBeingServed() throws IOException {
        start(limits(4096, 100, Duration.ofMillis(500), Duration.ofSeconds(1)));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                Socket socket = new Socket("127.0.0.1", gateway.port());
                OutputStream out = socket.getOutputStream();
                out.write("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Never: fin".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            long started = System.nanoTime();
            assertStillServing();
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "others waited behind slow clients");
            // Each slow client is cut off once its head timeout passes.
            for (Socket socket : List.of(slow.get(0), slow.get(499), slow.get(999))) {
                socket.setSoTimeout(10_000);
                assertEquals(-1, socket.getInputStream().read(), "a slow client was answered instead of cut off");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertEquals(List.of(), daemon.requests().stream().filter(r -> !r.target().equals("/_ping")).toList());
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedButAQuietStreamIsNot() throws Exception {
        start(limits(4096, 100, Duration.ofMillis(300), Duration.ofMillis(300)));
        try (RawClient idle = new RawClient(gateway.port())) {
            assertEquals(200, idle.get("/_ping").status());
            RawClient stream = new RawClient(gateway.port());
            stream.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, stream.readHead().status());
            assertEquals("{}\n", stream.readChunk());
            assertTrue(idle.timeout(5000).closedByServer(), "an idle connection outlived the idle timeout");
            // The stream has been quiet for longer than both timeouts; it must still be there.
            endStreams.countDown();
            assertEquals(null, stream.readChunk());
            stream.close();
        }
    }
}
