package dockgate;

import dockgate.policy.Presets;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calls each preset's header lists under "Plays:" (the calls its consumer's source makes, for the
 * consumers no test here runs for real), made through a gateway serving the preset in front of a stand-in
 * daemon: every one reaches the daemon and its answer reaches the client.
 */
class PresetPlaybackTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private static final String ID = "c0ffee".repeat(10) + "c0ff";
    /** One answer for every inspect, of any kind: an id, a name, labels (an owner's too), a container. */
    private static final String INSPECT = "{\"Id\":\"" + ID + "\",\"ID\":\"" + ID + "\",\"Name\":\"data\",\"ContainerID\":\""
            + ID + "\",\"Config\":{\"Labels\":{\"dockgate.owner\":\"ci\"},\"Env\":[\"A=b\"]},\"Labels\":{\"dockgate.owner\":\"ci\"}}";
    private static final Pattern INSPECT_PATH = Pattern.compile(
            "(/v[0-9.]+)?/((containers|images|exec)/.+/json|(volumes|networks)/[^/?]+)(\\?.*)?");

    private static final StandInDaemon.Responder DAEMON = (request, connection) -> {
        if (request.method().equals("HEAD")) {
            connection.write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n");
        } else if (request.method().equals("GET") && INSPECT_PATH.matcher(request.target()).matches()) {
            connection.send(200, "application/json", INSPECT);
        } else {
            connection.send(200, "application/json", "{}");
        }
    };

    /** Each preset's played calls, as "preset | METHOD TARGET [BODY]". */
    static List<String> plays() throws IOException {
        List<String> plays = new ArrayList<>();
        for (String preset : Presets.names()) {
            boolean in = false;
            for (String line : text(preset).lines().toList()) {
                if (line.startsWith("# Plays:")) {
                    in = true;
                } else if (in && line.startsWith("#   ")) {
                    plays.add(preset + " | " + line.substring(4).strip());
                } else if (in && !line.startsWith("# (")) {
                    in = false;
                }
            }
        }
        return plays;
    }

    private static String text(String preset) throws IOException {
        try (InputStream in = PresetPlaybackTest.class.getResourceAsStream("/dockgate/presets/" + preset + ".rules")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plays")
    void theConsumersCallReachesTheDaemon(String play) throws Exception {
        String preset = play.substring(0, play.indexOf(" | "));
        String[] call = play.substring(play.indexOf(" | ") + 3).replace("{ID}", ID).replace("{NAME}", "data")
                .replace("{IMAGE}", "sha256:" + ID).split(" ", 3);
        int port = fixture.start(DAEMON, Presets.load(preset), UnaryOperator.identity()).port();
        try (RawClient client = new RawClient(port)) {
            String head = call[0] + " " + call[1] + " HTTP/1.1\r\nHost: x\r\n";
            client.send(call.length < 3 ? head + "\r\n" : head + "Content-Type: application/json\r\nContent-Length: "
                    + call[2].getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + call[2]);
            RawClient.Response response = client.read(call[0].equals("HEAD"));
            assertEquals(200, response.status(), () -> play + " -> " + response);
            assertFalse(String.valueOf(response.body()).contains("dockgate:"), response::toString);
        }
        assertTrue(fixture.daemon().requests().stream().anyMatch(r -> r.method().equals(call[0])
                && r.target().replaceFirst("\\?.*", "").endsWith(call[1].replaceFirst("\\?.*", "")
                .replaceFirst("^/v1\\.41", ""))), () -> play + " reached "
                + fixture.daemon().requests());
    }
}
