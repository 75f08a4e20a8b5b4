package dockgate.server;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.testing.CapturedStderr;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import io.undertow.Undertow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The errors dockgate writes itself: each starts with "dockgate:", and says what the client can act on. */
class OwnErrorsTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private CapturedStderr log;

    @BeforeEach
    void captureLog() {
        log = fixture.closeAfter(CapturedStderr.start());
    }

    private static void assertOwn(int status, String says, RawClient.Response response) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/json", response.header("Content-Type"));
        assertTrue(response.body().startsWith("{\"message\":\"dockgate: "), response.body());
        assertTrue(response.body().contains(says), response.body());
    }

    @Test
    void anUnreachableDaemonIsA502OfDockgates() throws Exception {
        Gateway gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), Profile.builtIn()));
        try (RawClient client = new RawClient(gateway.port())) {
            assertOwn(502, "cannot reach the Docker daemon at " + fixture.socket(), client.get("/v1.41/info"));
        }
    }

    @Test
    void aDaemonThatSwitchesProtocolsOrNeverAnswersIsDockgatesToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Gateway gateway = fixture.start(fixture.socket(), (request, connection) -> {
            if (request.target().equals("/_ping")) {
                connection.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw");
            } else {
                release.await(10, TimeUnit.SECONDS);
            }
        }, Profile.builtIn(), config -> config.withDaemonTimeout(Duration.ofMillis(300)));
        try (RawClient client = new RawClient(gateway.port())) {
            assertOwn(502, "switched protocols", client.get("/_ping"));
        }
        try (RawClient client = new RawClient(gateway.port())) {
            assertOwn(504, "did not answer GET /v1.41/info", client.get("/v1.41/info"));
        } finally {
            release.countDown();
        }
    }

    /** A bug that throws must not leave the client an empty 500 that could be anyone's. */
    @Test
    void anExceptionInTheGatewayIsA500OfDockgates() throws Exception {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new ShutdownGate(exchange -> {
                    throw new IllegalStateException("a bug");
                })).build();
        server.start();
        try (RawClient client = new RawClient(((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort())) {
            assertOwn(500, "internal error; the gateway's log says more", client.get("/v1.41/info"));
        } finally {
            server.stop();
        }
    }

    @Test
    void aRefusedQueryNamesTheParameterToTheClient() throws Exception {
        Gateway gateway = fixture.start(fixture.socket(), StandInDaemon.OK,
                Profile.parse("test", "GET,HEAD /_ping\nGET /containers/json  all=~^1$\n"), config -> config);
        try (RawClient client = new RawClient(gateway.port())) {
            assertOwn(403, "GET /v1.41/containers/json is not allowed by the rules: query parameter 'all' does not match ^1$",
                    client.get("/v1.41/containers/json?all=0"));
            assertOwn(403, "GET /v1.41/containers/json is not allowed by the rules: query parameter 'all' appears more than once",
                    client.get("/v1.41/containers/json?all=1&all=0"));
            assertOwn(403, "\"dockgate: GET /v1.41/images/json is not allowed by the rules\"", client.get("/v1.41/images/json"));
            assertEquals(200, client.get("/v1.41/containers/json?all=1").status());
        }
    }

    @Test
    void aRefusedPingIsLoggedWithAHintThatClientsNeedIt() throws Exception {
        Gateway gateway = fixture.start(fixture.socket(), StandInDaemon.OK, Profile.parse("test", "GET /version\n"),
                config -> config);
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(403, client.send("HEAD /v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n").read(true).status());
            assertEquals(403, client.get("/v1.41/info").status());
        }
        await("both refusals are logged").atMost(Duration.ofSeconds(10)).until(() -> log.text().contains("GET /v1.41/info:"));
        String text = log.text();
        assertTrue(Pattern.compile(" WARN GatewayHandler - deny 127\\.0\\.0\\.1:[0-9]+ HEAD /v1\\.41/_ping: no rule allows"
                + " HEAD /v1\\.41/_ping \\(docker clients call /_ping first; allow GET,HEAD /_ping\\)\n").matcher(text).find(), text);
        for (String line : List.of(text.split("\n"))) {
            if (line.contains("GET /v1.41/info:")) {
                assertTrue(!line.contains("/_ping first"), "the hint is for /_ping only: " + line);
            }
        }
    }
}
