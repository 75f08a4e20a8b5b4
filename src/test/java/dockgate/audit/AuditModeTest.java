package dockgate.audit;

import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.testing.CapturedStderr;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --mode audit in process, in front of a recording stand-in daemon: what it forwards, refuses, logs and learns. */
class AuditModeTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private Gateway gateway;
    private StandInDaemon daemon;
    private CapturedStderr log;

    @BeforeEach
    void captureLog() {
        // Closed after the gateway and the daemon, so that it holds their last lines.
        log = fixture.closeAfter(CapturedStderr.start());
    }

    private Path learned() {
        return fixture.dir().resolve("learned.rules");
    }

    private void start() throws IOException {
        gateway = fixture.start((request, connection) -> {
            if (request.target().startsWith("/v1.41/containers/create")) {
                connection.send(201, "application/json", "{\"Id\":\"c0ffee\",\"Warnings\":[]}");
            } else {
                StandInDaemon.OK.respond(request, connection);
            }
        }, config -> config.withAuditRules(learned()));
        daemon = fixture.daemon();
    }

    private String log() {
        return log.text();
    }

    @Test
    void aCallTheRulesDenyReachesTheDaemonAndIsLoggedAsWouldDeny() throws IOException {
        start();
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send("POST /v1.41/containers/create?name=web HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").read();
            assertEquals(201, response.status());
            assertEquals("{\"Id\":\"c0ffee\",\"Warnings\":[]}", response.body());
            assertEquals(200, client.get("/v1.41/containers/json").status());
        }
        List<StandInDaemon.Request> seen = daemon.requests();
        assertEquals(2, seen.size());
        assertEquals("/v1.41/containers/create?name=web", seen.get(0).target());
        assertEquals("{}", seen.get(0).bodyText());
        await("both access lines are written").atMost(Duration.ofSeconds(10)).until(() -> log().contains("\"GET /v1.41/containers/json\""));
        String log = log();
        assertTrue(Pattern.compile(" WARN GatewayHandler - would deny 127\\.0\\.0\\.1:[0-9]+ POST /v1\\.41/containers/create:"
                + " no rule allows POST /v1\\.41/containers/create\n").matcher(log).find(), log);
        assertTrue(Pattern.compile(" INFO access - 127\\.0\\.0\\.1:[0-9]+ \"POST /v1\\.41/containers/create\\?name=web\""
                + " would-deny 201 ").matcher(log).find(), log);
        assertTrue(Pattern.compile(" INFO access - 127\\.0\\.0\\.1:[0-9]+ \"GET /v1\\.41/containers/json\" allow 200 ")
                .matcher(log).find(), log);
    }

    @Test
    void theScreenStillRefusesWhatIsUnsafeToForward() throws IOException {
        start();
        List<String> refused = List.of(
                "GET /v1.41/containers/%2e%2e/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41//containers/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/containers/a;b/json HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /v1.41/containers/abc/attach?stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
                "GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        List<Integer> statuses = List.of(400, 400, 400, 400, 403, 400);
        for (int i = 0; i < refused.size(); i++) {
            try (RawClient client = new RawClient(gateway.port())) {
                assertEquals(statuses.get(i), client.send(refused.get(i)).read().status(), refused.get(i));
            }
        }
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(414, client.get("/v1.41/containers/json?x=" + "a".repeat(9000)).status());
        }
        assertEquals(List.of(), daemon.requests());
        gateway.close();
        String text = Files.readString(learned());
        assertEquals(List.of("GET,HEAD  /_ping"), text.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList(),
                "refused calls are not learned: the only rule is the /_ping every learned file has");
        assertTrue(text.endsWith("#   1 call: POST /containers/{id}/attach, e.g. POST /v1.41/containers/abc/attach: no rule allows"
                + " POST /v1.41/containers/abc/attach\n#     to allow it: POST /containers/{id}/attach   hijack\n"),
                "the refused upgrade is listed:\n" + text);
    }

    @Test
    void callsNoRuleCouldAllowStayRefusedAndAreListedAsSuch() throws IOException {
        start();
        // CONNECT above all: a 2xx answer would turn the connection into a tunnel the gateway cannot see into.
        for (String request : List.of("CONNECT /_ping HTTP/1.1\r\nHost: x\r\n\r\n", "get /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1.41/v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n")) {
            try (RawClient client = new RawClient(gateway.port())) {
                RawClient.Response response = client.send(request).read();
                assertEquals(403, response.status(), request);
                assertTrue(response.body().contains("is not allowed by the rules"), response.body());
            }
        }
        assertEquals(List.of(), daemon.requests());
        gateway.close();
        String learned = Files.readString(learned());
        assertTrue(learned.endsWith("#   1 call: CONNECT /_ping\n#   1 call: GET /\n#   1 call: GET /v1.41/v1.41/_ping\n"
                + "#   1 call: get /_ping\n"), learned);
    }

    @Test
    void theLearnedFileIsWrittenWhileRunningAndAllowsTheTrafficAsRules() throws Exception {
        start();
        assertTrue(Files.readString(learned()).startsWith("# dockgate rules learned in audit mode"),
                "the file is written at start");
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.send("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n").read(true).status());
            assertEquals(200, client.get("/v1.41/containers/3f2a9c1e0b7d/json").status());
            assertEquals(200, client.get("/v1.41/containers/3f2a9c1e0b7d/logs?stdout=1").status());
            assertEquals(200, client.send("POST /v1.41/images/localhost:5000/team/app:1.2/tag?repo=team/app&tag=v2 HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 0\r\n\r\n").read().status());
        }
        await("the learned file holds the tag rule").atMost(Duration.ofSeconds(10)).until(() -> read(learned()).contains("POST      /images/{name}/tag"));
        Profile learned = Profile.load(learned());
        assertTrue(learned.decide("HEAD", "/v1.41/_ping", Query.EMPTY).allowed());
        assertTrue(learned.decide("GET", "/v1.41/containers/other/json", Query.EMPTY).allowed());
        assertTrue(learned.decide("GET", "/v1.41/containers/other/logs", "follow=1").allowed());
        assertTrue(learned.decide("POST", "/v1.41/images/abc/tag", "repo=team/app&tag=v2").allowed());
        assertFalse(learned.decide("POST", "/v1.41/images/abc/tag", "repo=team/app&tag=latest").allowed());
        assertTrue(learned.decide("GET", "/v1.41/_ping", Query.EMPTY).allowed(), "the other way to ping is added");
        assertFalse(learned.decide("GET", "/v1.41/version", Query.EMPTY).allowed(), "otherwise only what was seen");
        assertFalse(learned.decide("POST", "/v1.41/containers/create", Query.EMPTY).allowed());

        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/v1.41/info").status());
        }
        gateway.close();
        assertTrue(Files.readString(learned()).contains("\nGET       /info\n"), "written once more at close");
        try (Stream<Path> files = Files.list(fixture.dir())) {
            assertEquals(List.of("d.sock", "learned.rules"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files are left behind");
        }
    }

    @Test
    void anAuditRulesFileThatCannotBeWrittenStopsTheStart() throws IOException {
        Path nowhere = fixture.dir().resolve("missing-dir").resolve("learned.rules");
        IOException e = assertThrows(IOException.class,
                () -> fixture.start(StandInDaemon.OK, config -> config.withAuditRules(nowhere)));
        assertTrue(e.getMessage().startsWith("cannot write the audit rules file " + nowhere + ": "), e.getMessage());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
