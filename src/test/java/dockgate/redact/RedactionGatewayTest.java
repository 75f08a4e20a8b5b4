package dockgate.redact;

import dockgate.policy.Rulebook;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inspect answers through a gateway in front of the stand-in daemon: environment values never reach the
 * client unless a rule reveals them, whatever the framing of the daemon's answer; an answer that cannot be
 * redacted is a 502, never the original; other answers pass as they are.
 */
class RedactionGatewayTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private static final String INSPECT = "{\"Id\":\"c1\",\"Config\":{\"Env\":[\"DB_PASSWORD=hunter2\",\"PATH=/bin\",\"EMPTY=\","
            + "\"NOVALUE\"],\"Labels\":{\"a\":\"b\"}},\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv/secret\",\"Destination\":\"/s\"}],"
            + "\"HostConfig\":{\"Binds\":[\"/srv/secret:/s:ro\",\"cache:/c\"]}}";

    private int start(String rules, String answer, boolean chunked, String extraHeaders) throws Exception {
        return fixture.start((request, connection) -> {
            if (chunked) {
                connection.startChunked(200, "Content-Type: application/json\r\n" + extraHeaders);
                connection.chunk(answer.substring(0, 20));
                connection.chunk(answer.substring(20));
                connection.endChunked();
            } else if (!extraHeaders.isEmpty()) {
                connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extraHeaders
                        + "Content-Length: " + answer.length() + "\r\n\r\n" + answer);
            } else {
                connection.send(200, "application/json", answer);
            }
        }, Rulebook.parse("rules", rules), UnaryOperator.identity()).port();
    }

    private static RawClient.Response get(int port, String path) throws IOException {
        try (RawClient client = new RawClient(port)) {
            return client.get(path);
        }
    }

    @Test
    void environmentValuesAreRedactedNamesKept() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            int port = start("GET /containers/{id}/json\n", INSPECT, chunked, "");
            RawClient.Response response = get(port, "/v1.41/containers/c1/json");
            assertEquals(200, response.status());
            assertFalse(response.body().contains("hunter2"), response.body());
            assertTrue(response.body().contains("\"Env\":[\"DB_PASSWORD=<redacted>\",\"PATH=<redacted>\",\"EMPTY=<redacted>\","
                    + "\"NOVALUE\"]"), response.body());
            assertTrue(response.body().contains("\"Source\":\"/srv/secret\""), "mount sources stay unless asked: " + response.body());
            assertEquals(String.valueOf(response.body().length()), response.header("Content-Length"));
        }
    }

    @Test
    void aRuleRevealsTheEnvironmentOrRedactsMountSourcesToo() throws Exception {
        int port = start("GET /containers/{id}/json   reveal=env\n", INSPECT, false, "");
        assertEquals(INSPECT, get(port, "/v1.41/containers/c1/json").body());
        port = start("GET /containers/{id}/json   redact=mounts\n", INSPECT, false, "");
        String body = get(port, "/v1.41/containers/c1/json").body();
        assertFalse(body.contains("/srv/secret"), body);
        assertFalse(body.contains("hunter2"), body);
        assertTrue(body.contains("\"Binds\":[\"<host path>:/s:ro\",\"cache:/c\"]"), body);
    }

    @Test
    void serviceAndTaskSpecsAreRedacted() throws Exception {
        String services = "[{\"ID\":\"s1\",\"Spec\":{\"TaskTemplate\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=abc\"]}}},"
                + "\"PreviousSpec\":{\"TaskTemplate\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=old\"]}}}}]";
        String body = get(start("GET /services\n", services, false, ""), "/v1.41/services").body();
        assertEquals("[{\"ID\":\"s1\",\"Spec\":{\"TaskTemplate\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=<redacted>\"]}}},"
                + "\"PreviousSpec\":{\"TaskTemplate\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=<redacted>\"]}}}}]", body);
        String task = "{\"ID\":\"t1\",\"Spec\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=abc\"]}}}";
        assertEquals("{\"ID\":\"t1\",\"Spec\":{\"ContainerSpec\":{\"Env\":[\"TOKEN=<redacted>\"]}}}",
                get(start("GET /tasks/{id}\n", task, false, ""), "/v1.41/tasks/t1").body());
    }

    @Test
    void anAnswerThatCannotBeRedactedIsA502NeverTheOriginal() throws Exception {
        RawClient.Response broken = get(start("GET /containers/{id}/json\n", "{\"Config\":{\"Env\":[\"A=secret\"]",
                false, ""), "/v1.41/containers/c1/json");
        assertEquals(502, broken.status());
        assertFalse(broken.body().contains("secret"), broken.body());
        RawClient.Response encoded = get(start("GET /containers/{id}/json\n", INSPECT, false, "Content-Encoding: gzip\r\n"),
                "/v1.41/containers/c1/json");
        assertEquals(502, encoded.status());
        assertTrue(encoded.body().contains("gzip-encoded"), encoded.body());
    }

    @Test
    void otherAnswersPassAsTheyAre() throws Exception {
        int port = start("GET /containers/json\n", "[{\"Id\":\"c1\",\"Env\":[\"A=b\"]}]", false, "");
        assertEquals("[{\"Id\":\"c1\",\"Env\":[\"A=b\"]}]", get(port, "/v1.41/containers/json").body());
    }
}
