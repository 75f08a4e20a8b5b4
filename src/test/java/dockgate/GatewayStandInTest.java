package dockgate;

import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.SlowReaderCase;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway in process, in front of a recording stand-in daemon: what gets through, and how. */
class GatewayStandInTest {

    @TempDir
    Path dir;

    private Gateway gateway;
    private StandInDaemon daemon;

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private Path socket() {
        return dir.resolve("d.sock");
    }

    private void start(StandInDaemon.Responder responder) throws IOException {
        start(responder, Profile.builtIn(), Config.DEFAULT_DAEMON_TIMEOUT);
    }

    private void start(StandInDaemon.Responder responder, Profile policy, Duration timeout) throws IOException {
        gateway = fixture.start(socket(), responder, policy, config -> config.withDaemonTimeout(timeout));
        daemon = fixture.daemon();
    }

    /**
     * Go's ParseForm reads a form-encoded body of a POST as more parameters, ahead of the query's: the
     * daemon would tag as "traefik:latest" a call whose checked query said "myteam/app:v1".
     */
    /** A second close (a teardown after the test closed it, a signal during shutdown) returns at once. */
    @Test
    @Timeout(20)
    void closingTwiceReturns() throws IOException {
        start(StandInDaemon.OK);
        gateway.close();
        gateway.close();
        assertThrows(IOException.class, () -> new RawClient(gateway.port()).send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").read());
    }

    @Test
    void aFormEncodedBodyNeverReachesTheDaemon() throws IOException {
        start(StandInDaemon.OK);
        String[] contentTypes = {"application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded ; charset=utf-8",
                " application/x-www-form-urlencoded"};
        for (String contentType : contentTypes) {
            try (RawClient client = new RawClient(gateway.port())) {
                RawClient.Response response = client.send("POST /v1.41/images/alpine/tag?repo=myteam/app&tag=v1 HTTP/1.1\r\n"
                        + "Host: x\r\nContent-Type: " + contentType + "\r\nContent-Length: 23\r\n\r\n"
                        + "repo=traefik&tag=latest").read();
                assertEquals(400, response.status(), contentType);
                assertTrue(response.body().contains("form-encoded request body is not accepted"), response.body());
            }
        }
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send("POST /v1.41/images/alpine/tag?repo=myteam/app&tag=v1 HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Type: text/plain\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 23\r\n\r\nrepo=traefik&tag=latest").read();
            assertEquals(400, response.status());
        }
        assertEquals(List.of(), daemon.requests());

        // The same call with its values in the query only, or a JSON body, is what the rules were written for.
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.send("POST /v1.41/images/alpine/tag?repo=myteam/app&tag=v1 HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 0\r\n\r\n").read().status());
        }
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void allowedCallReachesTheDaemonAsTheCheckedPathWithItsQuery() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send("GET /v1.41/containers/%6Aabc/json?size=1&x=%20y HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:2375\r\nUser-Agent: test/1\r\nX-Custom: kept\r\nKeep-Alive: timeout=5\r\n"
                    + "Connection: keep-alive, X-Drop\r\nX-Drop: dropped\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("{\"ok\":true}", response.body());
            assertEquals("1.41", response.header("Api-Version"));
        }
        StandInDaemon.Request seen = daemon.requests().get(0);
        assertEquals("GET", seen.method());
        assertEquals("/v1.41/containers/jabc/json?size=1&x=%20y", seen.target());
        assertEquals("api.moby.localhost", seen.header("Host"));
        assertEquals("test/1", seen.header("User-Agent"));
        assertEquals("kept", seen.header("X-Custom"));
        assertNull(seen.header("Keep-Alive"));
        assertNull(seen.header("X-Drop"));
        assertNull(seen.header("Connection"));
    }

    @Test
    void theDaemonsHeadersReachTheClientButItsHopByHopOnesDoNot() throws IOException {
        start((request, connection) -> connection.write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
                + "Docker-Experimental: false\r\nOstype: linux\r\nServer: Docker/20.10.24 (linux)\r\n"
                + "Cache-Control: no-cache\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\n"
                + "Keep-Alive: timeout=5\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"));
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.get("/_ping");
            assertEquals(200, response.status());
            assertEquals("OK", response.body());
            assertEquals("1.41", response.header("Api-Version"));
            assertEquals("false", response.header("Docker-Experimental"));
            assertEquals("linux", response.header("Ostype"));
            assertEquals("Docker/20.10.24 (linux)", response.header("Server"));
            assertEquals("no-cache", response.header("Cache-Control"));
            assertNull(response.header("X-Secret"));
            assertNull(response.header("Keep-Alive"));
        }
    }

    @Test
    void anEncodedSlashIsForwardedDecodedAsTheDaemonWouldReadIt() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/v1.41/images/localhost:5000%2Fteam%2Fapp:1.2/json").status());
            // No container can be named a/b: the answer is the daemon's for a missing one, and it is not asked.
            RawClient.Response missing = client.get("/v1.41/containers/a%2Fb/json");
            assertEquals(404, missing.status());
            assertEquals("{\"message\":\"No such container: a/b\"}", missing.body().strip());
        }
        assertEquals(List.of("/v1.41/images/localhost:5000/team/app:1.2/json"),
                daemon.requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void deniedCallsNeverReachTheDaemon() throws IOException {
        start(StandInDaemon.OK);
        List<String> denied = List.of(
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "DELETE /v1.41/images/busybox HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1.41/containers/abc/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "GET /v1.41/containers/abc/archive?path=/ HTTP/1.1\r\nHost: x\r\n\r\n",
                "get /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1.41/images/busybox/tag?repo=traefik&repo=evil HTTP/1.1\r\nHost: x\r\n\r\n");
        for (String request : denied) {
            try (RawClient client = new RawClient(gateway.port())) {
                RawClient.Response response = client.send(request).read();
                assertEquals(403, response.status(), request);
                assertEquals("application/json", response.header("Content-Type"));
                assertTrue(response.body().matches("\\{\"message\":\"dockgate: \\S+ \\S+ is not allowed by the rules"
                                + "(: query parameter 'repo' appears more than once)?\"}\\s*"),
                        response.body());
            }
        }
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/_ping").status());
        }
        assertEquals(List.of("/_ping"), daemon.requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void malformedRequestsAreRejectedAndNeverReachTheDaemon() throws IOException {
        start(StandInDaemon.OK);
        List<String> malformed = List.of(
                "GET /v1.41/containers/%2e%2e/create HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/images/a%2F..%2Fb/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41//containers/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/containers/json;x=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/./containers/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET http://x/v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
                "POST /v1.41/images/a/tag?repo=b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        for (String request : malformed) {
            try (RawClient client = new RawClient(gateway.port())) {
                RawClient.Response response = client.send(request).read();
                assertEquals(400, response.status(), request);
                assertTrue(response.body().startsWith("{\"message\":\"dockgate: "), request + " got " + response.body());
            }
        }
        // These the HTTP parser refuses before the gateway sees them: still 400, and the connection closed.
        List<String> unparsable = List.of(
                "GET http://evil/v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1.41/images/a/tag?repo=b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        for (String request : unparsable) {
            try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(400, client.send(request).read().status(), request);
                assertTrue(client.closedByServer());
            }
        }
        assertEquals(List.of(), daemon.requests());
    }

    @Test
    void upgradesAreRefusedEvenOnAllowedRoutes() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").read();
            assertEquals(403, response.status());
            assertTrue(response.body().contains("upgrades"), response.body());
        }
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send("GET /_ping HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n\r\n").read();
            assertEquals(403, response.status());
        }
        assertEquals(List.of(), daemon.requests());
    }

    @Test
    void aSwitchingProtocolsAnswerFromTheDaemonNeverReachesTheClient() throws IOException {
        start((request, connection) -> connection.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw"));
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.get("/_ping");
            assertEquals(502, response.status());
            assertTrue(response.body().contains("switched protocols"), response.body());
        }
    }

    @Test
    void pipelinedRequestsAreEachDecidedOnTheirOwn() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            client.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "DELETE /v1.41/containers/abc HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /v1.41/version HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, client.read().status());
            RawClient.Response denied = client.read();
            assertEquals(403, denied.status());
            assertTrue(denied.body().contains("DELETE /v1.41/containers/abc is not allowed"), denied.body());
            assertEquals(200, client.read().status());
        }
        assertEquals(List.of("/_ping", "/v1.41/version"), daemon.requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void keepAliveCallsShareOneDaemonConnection() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            // Many in a row: handing the connection back to Undertow between calls once lost a request in ~100.
            for (int i = 0; i < 300; i++) {
                assertEquals(200, client.get("/v1.41/containers/json").status());
            }
        }
        assertEquals(300, daemon.requests().size());
        assertEquals(1, daemon.connectionsOpened());
    }

    @Test
    void headAnswersWithHeadersOnly() throws IOException {
        start((request, connection) -> connection.write(
                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\n"
                        + (request.method().equals("HEAD") ? "" : "OK")));
        try (RawClient client = new RawClient(gateway.port())) {
            client.send("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response response = client.read(true);
            assertEquals(200, response.status());
            assertEquals("1.41", response.header("Api-Version"));
            assertEquals("2", response.header("Content-Length"));
            // The connection is still in step: the next answer is the next request's.
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void eachChunkReachesTheClientBeforeTheDaemonSendsTheNext() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        AtomicBoolean waitedInVain = new AtomicBoolean();
        start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("{\"Type\":\"image\",\"Action\":\"tag\"}\n");
            if (!firstSeen.await(10, TimeUnit.SECONDS)) {
                waitedInVain.set(true);
            }
            connection.chunk("{\"Type\":\"image\",\"Action\":\"untag\"}\n");
            connection.endChunked();
        });
        try (RawClient client = new RawClient(gateway.port())) {
            client.timeout(5000).send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = client.readHead();
            assertEquals(200, head.status());
            assertEquals("{\"Type\":\"image\",\"Action\":\"tag\"}\n", client.readChunk());
            firstSeen.countDown();
            assertEquals("{\"Type\":\"image\",\"Action\":\"untag\"}\n", client.readChunk());
            assertNull(client.readChunk());
        }
        assertFalse(waitedInVain.get());
    }

    @Test
    void streamHeadersReachTheClientBeforeAnyEvent() throws Exception {
        CountDownLatch headSeen = new CountDownLatch(1);
        start((request, connection) -> {
            connection.startChunked(200, "");
            headSeen.await(10, TimeUnit.SECONDS);
            connection.endChunked();
        });
        try (RawClient client = new RawClient(gateway.port())) {
            client.timeout(5000).send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, client.readHead().status());
            headSeen.countDown();
            assertNull(client.readChunk());
        }
    }

    @Test
    void aClientLeavingAStreamClosesTheDaemonConnection() throws Exception {
        AtomicBoolean daemonClosed = new AtomicBoolean();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch streaming = new CountDownLatch(1);
        CountDownLatch clientClosed = new CountDownLatch(1);
        start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("{}\n");
            streaming.countDown();
            clientClosed.await(10, TimeUnit.SECONDS);
            daemonClosed.set(connection.awaitClosedByGateway(1000));
            checked.countDown();
        });
        RawClient client = new RawClient(gateway.port());
        client.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, client.readHead().status());
        assertEquals("{}\n", client.readChunk());
        assertTrue(streaming.await(5, TimeUnit.SECONDS));
        client.close();
        clientClosed.countDown();
        assertTrue(checked.await(5, TimeUnit.SECONDS));
        assertTrue(daemonClosed.get(), "the daemon connection was still open a second after the client left");
    }

    @Test
    void theDaemonEndingAStreamMidwayClosesTheClientConnection() throws IOException {
        start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("{\"a\":1}\n");
            connection.close();
        });
        try (RawClient client = new RawClient(gateway.port())) {
            client.timeout(5000).send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, client.readHead().status());
            assertEquals("{\"a\":1}\n", client.readChunk());
            assertTrue(client.closedByServer(), "the client connection stayed open after the daemon cut the stream");
        }
    }

    @Test
    void daemonDownGives502NamingTheSocketThenRecoversWithoutRestart() throws IOException {
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, socket(), Profile.builtIn()));
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.get("/_ping");
            assertEquals(502, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            assertTrue(response.body().contains(socket().toString()), response.body());
        }
        daemon = fixture.daemon(socket(), StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void aDaemonRestartIsSurvivedOnKeptAliveConnections() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/_ping").status());
            daemon.close();
            daemon = fixture.daemon(socket(), StandInDaemon.OK);
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void aDaemonThatNeverAnswersGives504() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        start((request, connection) -> release.await(10, TimeUnit.SECONDS), Profile.builtIn(), Duration.ofMillis(300));
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.get("/v1.41/info");
            assertEquals(504, response.status());
            assertTrue(response.body().contains("did not answer GET /v1.41/info"), response.body());
        } finally {
            release.countDown();
        }
    }

    @Test
    void requestBodiesOfAllowedCallsArriveWhole() throws Exception {
        Profile policy = Profile.parse("test", "POST /containers/create\n");
        start((request, connection) -> connection.send(201, "application/json", "{\"Id\":\"x\"}"), policy,
                Config.DEFAULT_DAEMON_TIMEOUT);
        String body = "{\"Image\":\"" + "a".repeat(200_000) + "\"}";
        try (RawClient client = new RawClient(gateway.port())) {
            client.send("POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            assertEquals(201, client.read().status());
            client.send("POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + "5\r\n{\"A\":\r\n3\r\n\"b\"\r\n1\r\n}\r\n0\r\n\r\n");
            assertEquals(201, client.read().status());
            // curl's way with larger uploads: the body follows only once the server said to go on.
            client.send("POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals(100, client.readHead().status());
            client.send("{ }\n");
            assertEquals(201, client.read().status());
        }
        List<StandInDaemon.Request> seen = daemon.requests();
        assertEquals(body, seen.get(0).bodyText());
        // A checked JSON body reaches the daemon as the value that was checked, written anew.
        assertEquals("{\"A\":\"b\"}", seen.get(1).bodyText());
        assertEquals("{}", seen.get(2).bodyText());
        assertNull(seen.get(2).header("Expect"));
    }

    @Test
    void aSlowReaderHoldsTheDaemonBackInsteadOfFillingTheGateway() throws Exception {
        SlowReaderCase slow = new SlowReaderCase();
        start(slow.daemon());
        try (RawClient client = new RawClient(gateway.port())) {
            slow.readSlowly(client);
        }
    }

    @Test
    void aMissingSocketDirectoryIsNoReasonToRefuseToStart() throws IOException {
        Path nowhere = dir.resolve("no/such/dir/d.sock");
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, nowhere, Profile.builtIn()));
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(502, client.get("/_ping").status());
        }
        assertFalse(Files.exists(nowhere));
    }
}
