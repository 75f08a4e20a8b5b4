package dockgate.guard;

import dockgate.policy.Rulebook;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checked bodies through a gateway in front of the recording stand-in daemon: a refused body never reaches
 * the daemon and its client learns which check refused; an allowed one reaches it as the value checked,
 * written anew, with its stamped labels.
 */
class BodyChecksGatewayTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private static final String RULES = """
            checks ci
                allow binds /srv/ci
                stamp label dockgate.profile=ci

            POST /containers/create   checks=ci
            POST /volumes/create      checks=ci
            POST /containers/{id}/exec
            POST /exec/{id}/start
            """;

    private int port;

    @BeforeEach
    void start() throws Exception {
        port = fixture.start((request, connection) -> connection.send(201, "application/json", "{\"Id\":\"c1\"}"),
                Rulebook.parse("rules", RULES), UnaryOperator.identity()).port();
    }

    private RawClient.Response post(String target, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (RawClient client = new RawClient(port)) {
            return client.send("POST " + target + " HTTP/1.1\r\nHost: x\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + bytes.length + "\r\n\r\n" + body).read();
        }
    }

    @Test
    void aRefusedCreateNeverReachesTheDaemonAndNamesItsCheck() throws IOException {
        RawClient.Response response = post("/v1.41/containers/create", "application/json",
                "{\"Image\":\"x\",\"HostConfig\":{\"Binds\":[\"/etc:/host\"]}}");
        assertEquals(403, response.status());
        assertEquals("{\"message\":\"dockgate: container create refused by check 'binds' of checks ci (rules:1):"
                + " HostConfig.Binds[0] binds host path /etc\"}", response.body().strip());
        assertEquals(0, fixture.daemon().requests().size());
    }

    @Test
    void aPrivilegedExecIsRefusedByTheStrictSetARuleGetsWithoutOne() throws IOException {
        RawClient.Response response = post("/v1.41/containers/abc/exec", "application/json",
                "{\"Cmd\":[\"sh\"],\"Privileged\":true}");
        assertEquals(403, response.status());
        assertTrue(response.body().contains("exec create refused by check 'privileged' of checks strict (built-in)"),
                response.body());
        assertEquals(0, fixture.daemon().requests().size());
    }

    @Test
    void anAllowedCreateReachesTheDaemonWrittenAnewWithItsStampedLabel() throws IOException {
        RawClient.Response response = post("/v1.41/containers/create?name=job1", "Application/JSON; charset=UTF-8",
                "{ \"Image\" : \"local/busybox:test\", \"HostConfig\": {\"Binds\": [\"/srv/ci/cache:/cache\"]} }\n");
        assertEquals(201, response.status(), response.body());
        StandInDaemon.Request seen = fixture.daemon().requests().get(0);
        assertEquals("/v1.41/containers/create?name=job1", seen.target());
        assertEquals("{\"Image\":\"local/busybox:test\",\"HostConfig\":{\"Binds\":[\"/srv/ci/cache:/cache\"]},"
                + "\"Labels\":{\"dockgate.profile\":\"ci\"}}", seen.bodyText());
        assertEquals("application/json", seen.header("Content-Type"));
        assertEquals(String.valueOf(seen.body().length), seen.header("Content-Length"));
    }

    @Test
    void aVolumeCreateWithoutBodyStillGetsTheStampedLabel() throws IOException {
        RawClient.Response response;
        try (RawClient client = new RawClient(port)) {
            response = client.send("POST /v1.41/volumes/create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
        }
        assertEquals(201, response.status(), response.body());
        assertEquals("{\"Labels\":{\"dockgate.profile\":\"ci\"}}", fixture.daemon().requests().get(0).bodyText());
    }

    @Test
    void aCheckedCallWithoutBodyGoesWithoutOneWhenNothingIsStamped() throws IOException {
        RawClient.Response response;
        try (RawClient client = new RawClient(port)) {
            response = client.send("POST /v1.41/exec/e1/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
        }
        assertEquals(201, response.status(), response.body());
        StandInDaemon.Request seen = fixture.daemon().requests().get(0);
        assertEquals("", seen.bodyText());
        assertEquals(null, seen.header("Content-Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"})
    void aBodyThatIsNotPlainlyJsonIsRefused(String type) throws IOException {
        RawClient.Response response = post("/v1.41/containers/create", type, "{\"Image\":\"x\"}");
        assertEquals(400, response.status(), response.body());
        assertEquals(0, fixture.daemon().requests().size());
    }

    @Test
    void anUnreadableBodyIsA400() throws IOException {
        RawClient.Response response = post("/v1.41/containers/create", "application/json", "{\"Image\":");
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("the container create body cannot be read one way only"), response.body());
        assertEquals(0, fixture.daemon().requests().size());
    }

    @Test
    void aJsonBodyOverTheLimitIs413BeforeItIsSent() throws Exception {
        // The answer comes on the head alone: the body need never be sent.
        RawClient.Response response;
        try (RawClient client = new RawClient(port)) {
            response = client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024 + 1) + "\r\n\r\n").read();
        }
        assertEquals(413, response.status(), response.body());
        assertEquals(0, fixture.daemon().requests().size());
    }
}
