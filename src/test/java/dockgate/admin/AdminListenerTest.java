package dockgate.admin;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenAddress;

import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import dockgate.policy.Rule;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.Scrape;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin listener (--admin) of an in-process gateway in front of a recording stand-in daemon. */
class AdminListenerTest {

    private static final Profile RULES = Profile.builtIn();
    private static final String PING_RULE = location("/_ping");

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private Gateway gateway;
    private StandInDaemon daemon;

    private static String location(String path) {
        return RULES.rules().stream().filter(r -> r.path().equals(path)).map(Rule::location).findFirst().orElseThrow();
    }

    private void start(StandInDaemon.Responder responder) throws IOException {
        start(responder, RULES);
    }

    private void start(StandInDaemon.Responder responder, Profile policy) throws IOException {
        Path socket = fixture.socket();
        daemon = fixture.daemon(socket, responder);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, socket, policy)
                .withAdmin(new ListenAddress("127.0.0.1", 0)));
    }

    private RawClient.Response admin(String target) throws IOException {
        try (RawClient client = new RawClient(gateway.adminPort())) {
            return client.timeout(5000).get(target);
        }
    }

    private Scrape scrape() throws IOException {
        RawClient.Response response = admin("/metrics");
        assertEquals(200, response.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.header("Content-Type"));
        return Scrape.of(response.body());
    }

    private static String requests(String rule, String decision, int status) {
        return "dockgate_requests_total{rule=\"" + rule + "\",decision=\"" + decision + "\",status=\"" + status + "\"}";
    }

    @Test
    void requestsAreCountedByTheDecidingRuleTheDecisionAndTheStatus() throws Exception {
        start(StandInDaemon.OK);
        Scrape before = scrape();
        try (RawClient client = new RawClient(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.get("/_ping").status());
            }
        }
        for (int i = 0; i < 2; i++) {
            try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(403, client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 2\r\n\r\n{}").read().status());
            }
        }
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(400, client.get("/v1.41/containers/a%2e%2e/json").status());
        }
        // A call is counted as its exchange completes, which may be just after its client has read the answer.
        await("all six calls are counted").atMost(Duration.ofSeconds(5)).until(() -> scrape().value("dockgate_request_duration_seconds_count{decision=\"reject\"}") == 1);
        Scrape after = scrape();

        assertEquals(3, after.value(requests(PING_RULE, "allow", 200)) - before.value(requests(PING_RULE, "allow", 200)));
        assertEquals(2, after.value(requests("none", "deny", 403)) - before.value(requests("none", "deny", 403)));
        assertEquals(1, after.value(requests("none", "reject", 400)) - before.value(requests("none", "reject", 400)));
        String allowCount = "dockgate_request_duration_seconds_count{decision=\"allow\"}";
        assertEquals(3, after.value(allowCount) - before.value(allowCount));
        assertEquals(after.value(allowCount),
                after.value("dockgate_request_duration_seconds_bucket{decision=\"allow\",le=\"+Inf\"}"));
        assertEquals(2, after.value("dockgate_request_duration_seconds_count{decision=\"deny\"}"));
        // "OK" three times from the stand-in ({"ok":true} is 11 bytes); refused bodies never reach the daemon.
        assertEquals(33, after.value("dockgate_bytes_total{direction=\"to_client\"}")
                - before.value("dockgate_bytes_total{direction=\"to_client\"}"));
        assertEquals(0, after.value("dockgate_bytes_total{direction=\"from_client\"}"));
        assertEquals(1, after.value("dockgate_daemon_up"));
        assertEquals(1, after.value("dockgate_rules_loaded"));
        assertEquals(RULES.size(), after.value("dockgate_rules"));
        assertTrue(daemon.requests().stream().noneMatch(r -> r.method().equals("POST")));
    }

    @Test
    void relayedBodiesAreCountedBothWays() throws Exception {
        start(StandInDaemon.OK, Profile.parse("test-rules", "POST /containers/create\n"));
        String body = "{\"Image\":\"local/busybox:test\",\"HostConfig\":{\"NetworkMode\":\"none\"}}";
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).read().status());
            assertEquals(200, client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"A\":1}\r\n0\r\n\r\n")
                    .read().status());
        }
        Scrape after = scrape();
        assertEquals(body.length() + 7, after.value("dockgate_bytes_total{direction=\"from_client\"}"));
        assertEquals(2 * "{\"ok\":true}".length(), after.value("dockgate_bytes_total{direction=\"to_client\"}"));
        assertEquals(2, after.value(requests("test-rules:1", "allow", 200)));
    }

    @Test
    void adminPathsOnTheApiListenerAreDockerCallsForTheRulesToDecide() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            for (String path : List.of("/metrics", "/health")) {
                RawClient.Response response = client.get(path);
                assertEquals(403, response.status());
                assertEquals("{\"message\":\"dockgate: GET " + path + " is not allowed by the rules\"}\n", response.body());
            }
        }
        assertTrue(daemon.requests().stream().noneMatch(r -> r.target().equals("/metrics") || r.target().equals("/health")),
                "an admin path reached the daemon");
        assertEquals(2, scrape().value(requests("none", "deny", 403)));
    }

    @Test
    void aHeldStreamShowsAsOpenUntilItsClientLeaves() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        start((request, connection) -> {
            if (!request.target().endsWith("/events")) {
                StandInDaemon.OK.respond(request, connection);
                return;
            }
            connection.startChunked(200, "");
            connection.chunk("{}\n");
            connection.awaitClosedByGateway(10_000);
            released.countDown();
        });
        assertEquals(0, scrape().value("dockgate_streams_open"));
        RawClient client = new RawClient(gateway.port());
        client.timeout(5000).send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, client.readHead().status());
        assertEquals("{}\n", client.readChunk());
        Scrape during = scrape();
        assertEquals(1, during.value("dockgate_streams_open"));
        assertEquals(1, during.value("dockgate_upstream_connections{state=\"busy\"}"));
        assertEquals(1, during.value("dockgate_client_connections_open"));

        client.close();
        await("the stream is no longer open").atMost(Duration.ofSeconds(5)).until(() -> scrape().value("dockgate_streams_open") == 0);
        assertTrue(released.await(5, TimeUnit.SECONDS), "the daemon connection outlived the client");
        Scrape after = scrape();
        assertEquals(1, after.value("dockgate_streams_ended_total"));
        assertEquals(1, after.value(requests(location("/events"), "allow", 200)));
        // Streams are not request latencies: the histogram holds none of this one.
        assertEquals(0, after.value("dockgate_request_duration_seconds_count{decision=\"allow\"}"));
        await("the client connection is no longer counted").atMost(Duration.ofSeconds(5)).until(() -> scrape().value("dockgate_client_connections_open") == 0);
    }

    @Test
    void healthIsOkWhileTheDaemonAnswersAndUnavailableOnceItsSocketIsGone() throws Exception {
        start(StandInDaemon.OK);
        RawClient.Response ok = admin("/health");
        assertEquals(200, ok.status());
        assertEquals("application/json", ok.header("Content-Type"));
        assertTrue(ok.body().startsWith("{\"status\":\"ok\",\"daemon\":{\"reachable\":true,\"socket\":\""
                + fixture.socket() + "\",\"apiVersion\":\"1.41\",\"checkedAt\":\""), ok.body());
        assertTrue(ok.body().contains(",\"rules\":{\"loaded\":true,\"source\":\"built-in conf/rules\",\"rules\":"
                + RULES.size() + ",\"loadedAt\":\""), ok.body());

        daemon.close();
        await("/health answers 503").atMost(Duration.ofSeconds(5)).until(() -> admin("/health").status() == 503);
        RawClient.Response down = admin("/health");
        assertTrue(down.body().startsWith("{\"status\":\"unavailable\",\"daemon\":{\"reachable\":false,"), down.body());
        assertTrue(down.body().contains("\"error\":\"no such socket file\""), down.body());
        assertEquals(0, scrape().value("dockgate_daemon_up"));
    }

    @Test
    void healthShowsARulesFileThatFailedToReloadAndTheRulesStillInForce() throws Exception {
        Path rules = fixture.dir().resolve("rules");
        Files.writeString(rules, "GET,HEAD /_ping\nGET /version\n");
        Path socket = fixture.socket();
        daemon = fixture.daemon(socket, StandInDaemon.OK);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, socket, Rulebook.load(rules))
                .withAdmin(new ListenAddress("127.0.0.1", 0)));
        assertTrue(admin("/health").body().contains("\"rules\":2,"), admin("/health").body());

        Files.writeString(rules, "GET,HEAD /_ping\nFETCH /version\n");
        assertFalse(gateway.rules().reload("test"));
        RawClient.Response health = admin("/health");
        assertEquals(200, health.status(), "the old rules still serve: " + health.body());
        assertTrue(health.body().contains("\"loaded\":true"), health.body());
        assertTrue(health.body().contains("\"rules\":2,"), health.body());
        assertTrue(health.body().contains("\"error\":\"" + rules + ":2: unknown method 'FETCH'"), health.body());

        Files.writeString(rules, "GET,HEAD /_ping\n");
        assertTrue(gateway.rules().reload("test"));
        health = admin("/health");
        assertTrue(health.body().contains("\"rules\":1,\"loadedAt\""), health.body());
        assertTrue(health.body().endsWith("\"error\":null,\"lastAttempt\":\"" + gateway.rules().inForce().lastAttempt()
                + "\"}}\n"), health.body());
    }

    @Test
    void aTightHealthCheckLoopDoesNotHammerTheDaemon() throws Exception {
        start(StandInDaemon.OK);
        int before = daemon.connectionsOpened();
        long started = System.nanoTime();
        int checks = 0;
        while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(1000)) {
            assertEquals(200, admin("/health").status());
            checks++;
        }
        assertTrue(checks > 10, "only " + checks + " health checks in a second");
        // At most one probe per 1.5 s: one for the first check, perhaps one more at the edge.
        assertTrue(daemon.connectionsOpened() - before <= 2,
                (daemon.connectionsOpened() - before) + " daemon connections for " + checks + " health checks");
    }

    @Test
    void theStatusPageListsRulesWithTheirCountsAndEscapesWhatClientsSent() throws IOException {
        start(StandInDaemon.OK);
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/v1.41/_ping").status());
            assertEquals(404, client.get("/v1.41/containers/a'b&c/json?x=%3Cscript%3E").status());
        }
        RawClient.Response page = admin("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertEquals("default-src 'none'; style-src 'unsafe-inline'", page.header("Content-Security-Policy"));
        String html = page.body();
        assertTrue(html.contains("<tr><td class=\"at\">" + PING_RULE + "</td><td><code>GET,HEAD  /_ping</code></td>"
                + "<td class=\"n\">1</td><td class=\"n\">0</td></tr>"), html);
        assertTrue(html.contains("<td>GET</td><td><code>/v1.41/containers/a&#39;b&amp;c/json?x=%3Cscript%3E</code></td>"
                + "<td class=\"n\">404</td><td>no rule allows GET /v1.41/containers/a&#39;b&amp;c/json; answered as the"
                + " daemon answers a missing object</td>"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void otherPagesAre404AndOtherMethods405() throws IOException {
        start(StandInDaemon.OK);
        RawClient.Response missing = admin("/v1.41/containers/json");
        assertEquals(404, missing.status());
        assertEquals("application/json", missing.header("Content-Type"));
        try (RawClient client = new RawClient(gateway.adminPort())) {
            RawClient.Response post = client.timeout(5000).send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("Allow"));
        }
        try (RawClient client = new RawClient(gateway.adminPort())) {
            RawClient.Response head = client.timeout(5000).send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("application/json", head.header("Content-Type"));
            // No body followed the head: the next response on the connection parses.
            assertEquals(200, client.get("/health").status());
        }
        assertTrue(daemon.requests().stream().noneMatch(r -> r.target().contains("containers")));
    }

    @Test
    void noAdminListenerUnlessAsked() throws IOException {
        Path socket = fixture.socket();
        daemon = fixture.daemon(socket, StandInDaemon.OK);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, socket, RULES));
        assertEquals(-1, gateway.adminPort());
    }

    @Test
    void anAdminAddressInUseStopsTheStartAndFreesTheApiPort() throws IOException {
        Path socket = fixture.socket();
        daemon = fixture.daemon(socket, StandInDaemon.OK);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket api = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int apiPort = api.getLocalPort();
            api.close();
            IOException e = assertThrows(IOException.class, () -> Gateway.start(Config.defaults("127.0.0.1", apiPort,
                    socket, RULES).withAdmin(new ListenAddress("127.0.0.1", taken.getLocalPort()))));
            assertTrue(e.getMessage().startsWith("admin listener 127.0.0.1:" + taken.getLocalPort() + ": "), e.getMessage());
            // The API listener opened first must have been closed again.
            new ServerSocket(apiPort, 1, InetAddress.getByName("127.0.0.1")).close();
        }
    }
}
