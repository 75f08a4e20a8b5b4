package dockgate.adversarial;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.policy.RulesException;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RandomCases;
import dockgate.testing.RandomCases.Draw;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every checked field of a container create, spelled every way the daemon's Go decoder would still read as
 * that field (any case, {@code ſ} for s, the Kelvin sign for k, backslash-u escapes, given twice), through a
 * gateway whose rule checks creates with the strict set, in front of the recording stand-in daemon. A field
 * asking for host access never reaches the daemon, whatever its spelling; a harmless one reaches it as the
 * canonical re-encoding, which the daemon can read one way only.
 */
class BodySpellingsPropertiesTest {

    @RegisterExtension
    static final GatewayFixture fixture = GatewayFixture.perClass();

    private static StandInDaemon daemon;
    private static Gateway gateway;

    /** A field of HostConfig, a value that asks for host access, and one that does not. */
    private record Field(String name, String hostile, String harmless) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("Privileged", "true", "false"),
            new Field("CapAdd", "[\"SYS_ADMIN\"]", "[]"),
            new Field("Devices", "[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\"}]", "[]"),
            new Field("DeviceRequests", "[{\"Count\":-1}]", "[]"),
            new Field("DeviceCgroupRules", "[\"a *:* rwm\"]", "[]"),
            new Field("Binds", "[\"/:/host\"]", "[\"cache:/cache\"]"),
            new Field("Mounts", "[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\"}]", "[]"),
            new Field("VolumesFrom", "[\"other\"]", "[]"),
            new Field("NetworkMode", "\"host\"", "\"none\""),
            new Field("PidMode", "\"host\"", "\"\""),
            new Field("IpcMode", "\"host\"", "\"private\""),
            new Field("UTSMode", "\"host\"", "\"\""),
            new Field("UsernsMode", "\"host\"", "\"\""),
            new Field("CgroupnsMode", "\"host\"", "\"private\""),
            new Field("SecurityOpt", "[\"seccomp=unconfined\"]", "[\"no-new-privileges\"]"),
            new Field("Sysctls", "{\"kernel.shm_rmid_forced\":\"1\"}", "{}"),
            new Field("Runtime", "\"runc\"", "\"\""),
            new Field("CgroupParent", "\"/\"", "\"\""),
            new Field("MaskedPaths", "[]", "null"),
            new Field("ReadonlyPaths", "[]", "null"));

    @BeforeAll
    static void start() throws IOException, RulesException {
        daemon = fixture.daemon(fixture.socket(), (request, connection) ->
                connection.send(201, "application/json", "{\"Id\":\"c\"}"));
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(),
                Profile.parse("rules", "POST /containers/create\n")));
    }

    /** A spelling Go's decoder matches to {@code name}: letters in either case, s as ſ, k as the Kelvin sign. */
    private static String spelling(Draw draw, String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            int choice = draw.weighted(3, 3, 1);
            if ((c == 's' || c == 'S') && choice == 2) {
                out.append('\u017f');
            } else if ((c == 'k' || c == 'K') && choice == 2) {
                out.append('\u212a');
            } else {
                out.append(choice == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** A key as JSON text: each character raw or as a backslash-u escape, in either case of hex digits. */
    private static String jsonKey(Draw draw, String key) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : key.toCharArray()) {
            if (draw.weighted(3, 1) == 1) {
                String hex = String.format("%04x", (int) c);
                out.append("\\u").append(draw.weighted(1, 1) == 0 ? hex : hex.toUpperCase());
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** One try: a field, how its key and HostConfig's are written, and whether it is hostile or doubled. */
    private record Try(Field field, String hostConfigKey, String fieldKey, String otherFieldKey, int form,
                       String contentType, int chunk) {
        static final int HOSTILE = 0;
        static final int HARMLESS_THEN_HOSTILE = 1;
        static final int HOSTILE_THEN_HARMLESS = 2;
        static final int HARMLESS = 3;

        String body() {
            String members = switch (form) {
                case HOSTILE -> fieldKey + ":" + field.hostile;
                case HARMLESS_THEN_HOSTILE -> otherFieldKey + ":" + field.harmless + "," + fieldKey + ":" + field.hostile;
                case HOSTILE_THEN_HARMLESS -> fieldKey + ":" + field.hostile + "," + otherFieldKey + ":" + field.harmless;
                default -> fieldKey + ":" + field.harmless;
            };
            return "{\"Image\":\"local/busybox:test\"," + hostConfigKey + ":{" + members + "}}";
        }
    }

    private static Try draw(Draw draw) {
        Field field = draw.oneOf(FIELDS);
        int form = draw.weighted(4, 2, 2, 3);
        return new Try(field, jsonKey(draw, spelling(draw, "HostConfig")), jsonKey(draw, spelling(draw, field.name)),
                jsonKey(draw, spelling(draw, field.name)), form, draw.oneOf(CONTENT_TYPES), draw.oneOf(0, 0, 1, 7, 64));
    }

    /** Spellings of the JSON type the daemon reads as JSON; the last two, with non-ASCII letters, are refused. */
    private static final List<String> CONTENT_TYPES = List.of("application/json", "Application/JSON",
            "APPLICATION/JSON; charset=UTF-8", "appl\u0130cation/json", "application/json\u00a0");

    private static boolean asciiType(String type) {
        return type.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Sends the body with a Content-Length (chunk 0) or in chunks of that many bytes, all in one write: a
     * head the gateway refuses is answered at once, and a client still writing would meet a closed socket.
     */
    private static RawClient.Response post(Try attempt) throws IOException {
        byte[] bytes = attempt.body().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
        request.writeBytes(("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: " + attempt.contentType()
                + "\r\n" + (attempt.chunk() == 0 ? "Content-Length: " + bytes.length : "Transfer-Encoding: chunked")
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        if (attempt.chunk() == 0) {
            request.writeBytes(bytes);
        } else {
            for (int at = 0; at < bytes.length; at += attempt.chunk()) {
                int size = Math.min(attempt.chunk(), bytes.length - at);
                request.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.write(bytes, at, size);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (RawClient client = new RawClient(gateway.port())) {
            return client.send(request.toByteArray()).read();
        }
    }

    @Test
    void noSpellingOfACheckedFieldReachesTheDaemonUncheckedAndWhatReachesItIsCanonical() {
        RandomCases.forAll(1500, BodySpellingsPropertiesTest::draw, attempt -> {
            int before = daemon.requests().size();
            RawClient.Response response = post(attempt);
            if (!asciiType(attempt.contentType())) {
                assertEquals(400, response.status(), response.body());
                assertEquals(before, daemon.requests().size(), "a body behind a non-ASCII Content-Type reached the daemon");
                return;
            }
            if (attempt.form() == Try.HARMLESS) {
                assertEquals(201, response.status(), response.body());
                assertEquals(before + 1, daemon.requests().size());
                StandInDaemon.Request seen = daemon.requests().get(before);
                assertEquals("{\"Image\":\"local/busybox:test\",\"HostConfig\":{\"" + attempt.field().name() + "\":"
                        + attempt.field().harmless() + "}}", seen.bodyText());
                return;
            }
            // Hostile alone is refused by its check (403); any field given twice is unreadable one way (400).
            int expected = attempt.form() == Try.HOSTILE ? 403 : 400;
            assertEquals(expected, response.status(), response.body());
            assertTrue(response.body().contains("dockgate: "), response.body());
            assertEquals(before, daemon.requests().size(), "a refused body reached the daemon");
        });
    }
}
