package dockgate.server;

import dockgate.Gateway;
import dockgate.ListenSpec;

import dockgate.policy.Profile;
import dockgate.policy.RulesException;
import dockgate.testing.CapturedStderr;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/**
 * Request bodies as the daemon would read them, in front of a recording stand-in: a Content-Type the
 * daemon could take for a form never gets a body through; a route that takes no body gets the call without
 * one; a body that breaks off, or outgrows what the gateway reads in whole, stops the call before the daemon
 * hears of it. Every call carries an {@code X-Case} header of its own, so what reached the stand-in is told
 * apart per case although one gateway serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class RequestBodiesTest {

    private static final String RULES = """
            GET,HEAD  /_ping
            POST      /images/{name}/tag            repo=~myteam/.+   tag=~v[0-9]+
            POST      /images/create                fromImage=~myteam/.+   fromSrc=~
            POST      /containers/create
            POST      /containers/{id}/start
            POST      /containers/{id}/stop
            POST      /containers/{id}/restart
            POST      /containers/{id}/kill
            POST      /containers/{id}/wait
            DELETE    /containers/{id}
            POST      /containers/{id}/frobnicate
            PUT       /containers/{id}/archive
            """;

    private static final String TAG = "POST /v1.41/images/alpine/tag?repo=myteam/app&tag=v1";
    private static final String FORM = "repo=traefik&tag=latest";
    private static final long DROPPED_LIMIT = 64 * 1024;
    private static final long JSON_LIMIT = 1024 * 1024;

    @RegisterExtension
    static final GatewayFixture fixture = GatewayFixture.perClass();

    private Path dir;
    private StandInDaemon daemon;
    private Gateway gateway;
    private final AtomicInteger cases = new AtomicInteger();
    private CapturedStderr log;

    @BeforeAll
    void start() throws IOException, RulesException {
        dir = fixture.dir();
        // Closed after the gateway and the stand-in, so that it holds their last lines.
        log = fixture.closeAfter(CapturedStderr.start());
        gateway = fixture.start(fixture.socket(), StandInDaemon.OK, Profile.parse("test", RULES),
                config -> config.withListeners(List.of(ListenSpec.tcp("127.0.0.1", 0), ListenSpec.unix(dir.resolve("g.sock"), 0600, null))));
        daemon = fixture.daemon();
    }

    /** Where the client connects. */
    enum Transport {
        TCP, UNIX
    }

    private RawClient connect(Transport transport) throws IOException {
        return transport == Transport.TCP ? new RawClient(gateway.port()) : RawClient.unix(dir.resolve("g.sock"));
    }

    /** How the body is delimited. */
    enum Framing {
        LENGTH, CHUNKED
    }

    /** One request as a client sends it: {@link #head} and {@link #framedBody} are its bytes on the wire. */
    private record Call(String requestLine, String version, String contentType, Framing framing, boolean expect,
                        byte[] body, int id) {

        /** The head, the Content-Type as UTF-8 bytes (Go decodes it so). */
        byte[] head() {
            StringBuilder head = new StringBuilder(requestLine).append(' ').append(version)
                    .append("\r\nHost: x\r\nX-Case: ").append(id).append("\r\n");
            if (framing == Framing.CHUNKED) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (expect) {
                head.append("Expect: 100-continue\r\n");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (contentType != null) {
                out.writeBytes(("Content-Type: " + contentType + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        }

        /** The body on the wire: as it is, or as one chunk and the last chunk. */
        byte[] framedBody() {
            if (framing == Framing.LENGTH) {
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        }

        String path() {
            String target = requestLine.substring(requestLine.indexOf(' ') + 1);
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
    }

    private Call call(String requestLine, String version, String contentType, Framing framing, boolean expect,
                      String body) {
        return new Call(requestLine, version, contentType, framing, expect, body.getBytes(StandardCharsets.UTF_8),
                cases.incrementAndGet());
    }

    /** The answer the client ended with, and whether the gateway invited the body with a 100 Continue first. */
    private record Answer(boolean continued, RawClient.Response response) {
    }

    /**
     * Sends the call as a client would. With HTTP/1.1 and Expect: 100-continue the head goes alone and the
     * body only after a 100 Continue (as curl does); otherwise head and body go at once (an HTTP/1.0 server
     * must ignore the expectation, so a client cannot wait for it there).
     */
    private static Answer exchange(RawClient client, Call call) throws IOException {
        if (!call.expect() || call.version().equals("HTTP/1.0")) {
            client.send(concat(call.head(), call.framedBody()));
            return new Answer(false, client.read());
        }
        client.send(call.head());
        RawClient.Response first = client.readHead();
        if (first.status() != 100) {
            return new Answer(false, client.readBody(first));
        }
        client.send(call.framedBody());
        return new Answer(true, client.read());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** What reached the stand-in of this call. */
    private List<StandInDaemon.Request> reached(Call call) {
        return reached(call.id());
    }

    /** What reached the stand-in of the call that carried this X-Case. */
    private List<StandInDaemon.Request> reached(int id) {
        String value = Integer.toString(id);
        return daemon.requests().stream().filter(r -> value.equals(r.header("X-Case"))).toList();
    }

    private static void assertDockgateError(int status, RawClient.Response response) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/json", response.header("Content-Type"));
        assertTrue(response.body().startsWith("{\"message\":\"dockgate: "), response.body());
    }

    // 1. A Content-Type that is a form to the daemon ------------------------------------------------------

    /**
     * Spellings Go's mime.ParseMediaType reads as application/x-www-form-urlencoded (it lower-cases by
     * Unicode rules and trims Unicode spaces), and the plain one as a control.
     */
    static Stream<String> formTypes() {
        return Stream.of(
                "application/x-www-form-urlencoded",
                "appl\u0130cation/x-www-form-urlencoded",
                "application/x-www-form-urlencoded\u00a0",
                "application/x-www-form-urlencoded\u0085",
                "application/x-www-form-urlencoded\u2028",
                "\u3000application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded\u1680;charset=utf-8");
    }

    /** The tag route takes no body; images/create takes a data stream, and its query is constrained too. */
    static Stream<String> formTargets() {
        return Stream.of(TAG, "POST /v1.41/images/create?fromImage=myteam/app&tag=v1");
    }

    static Stream<Arguments> formCases() {
        List<Arguments> all = new ArrayList<>();
        formTypes().forEach(type -> formTargets().forEach(target -> {
            for (Transport transport : Transport.values()) {
                for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
                    for (Framing framing : Framing.values()) {
                        for (boolean expect : List.of(false, true)) {
                            all.add(Arguments.of(escaped(type), type, target, transport, version, framing, expect));
                        }
                    }
                }
            }
        }));
        return all.stream();
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    /**
     * The daemon would read the body's fields ahead of the query the rules judged (a tag to traefik:latest,
     * an import from a URL), so whatever the framing, the version, the listener or an Expect, the call is
     * refused before any of its body is asked for, and nothing of it reaches the daemon.
     */
    @ParameterizedTest(name = "{0} {2} {3} {4} {5} expect={6}")
    @MethodSource("formCases")
    void aFormContentTypeIsRefusedAndNeverReachesTheDaemon(String shown, String contentType, String target,
                                                           Transport transport, String version, Framing framing,
                                                           boolean expect) throws IOException {
        String body = target.equals(TAG) ? FORM : "fromSrc=http://evil/x.tar&repo=traefik";
        Call call = call(target, version, contentType, framing, expect, body);
        Answer answer;
        try (RawClient client = connect(transport)) {
            answer = exchange(client, call);
        }
        assertDockgateError(400, answer.response());
        assertFalse(answer.continued(), "the body of a refused call was asked for");
        assertEquals(List.of(), reached(call));
    }

    // 2. A body on a route that takes none -------------------------------------------------------------

    /** Calls whose route takes no body: start, stop, restart, kill, wait, tag, delete, and a path not in the API. */
    static Stream<String> bodilessCalls() {
        return Stream.of(
                "POST /v1.41/containers/web/start",
                "POST /v1.41/containers/web/stop?t=5",
                "POST /v1.41/containers/web/restart",
                "POST /v1.41/containers/web/kill?signal=KILL",
                "POST /v1.41/containers/web/wait",
                TAG,
                "DELETE /v1.41/containers/web?force=1",
                "POST /v1.41/containers/web/frobnicate");
    }

    /** A body a client might send there, with its own framing. */
    record StrayBody(String version, String contentType, Framing framing, String body) {
    }

    static Stream<Arguments> strayBodies() {
        List<Named<StrayBody>> bodies = List.of(
                named("json", new StrayBody("HTTP/1.1", "application/json", Framing.LENGTH, "{}")),
                named("form as text/plain", new StrayBody("HTTP/1.1", "text/plain", Framing.LENGTH, FORM)),
                named("chunked", new StrayBody("HTTP/1.1", "application/json", Framing.CHUNKED, "{\"t\":10}")),
                // Undertow reads a chunked body on HTTP/1.0 too (Go would ignore the Transfer-Encoding there).
                named("chunked on HTTP/1.0", new StrayBody("HTTP/1.0", "text/plain", Framing.CHUNKED, FORM)));
        return bodilessCalls().flatMap(call -> bodies.stream().map(body -> Arguments.of(call, body)));
    }

    /**
     * The daemon acts on the head alone there, but Go's ParseForm would read a form body's fields as query
     * parameters: the call goes on without its body and without a Content-Type, and the client gets the
     * daemon's answer.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strayBodies")
    void aBodyOnARouteThatTakesNoneIsDropped(String requestLine, StrayBody stray) throws IOException {
        Call call = call(requestLine, stray.version(), stray.contentType(), stray.framing(), false, stray.body());
        RawClient.Response response;
        try (RawClient client = connect(Transport.TCP)) {
            response = exchange(client, call).response();
        }
        assertEquals(200, response.status(), response.body());
        assertEquals("{\"ok\":true}", response.body());
        assertCalledWithoutBody(call);
    }

    private void assertCalledWithoutBody(Call call) {
        List<StandInDaemon.Request> seen = reached(call);
        assertEquals(1, seen.size(), "calls that reached the daemon");
        StandInDaemon.Request request = seen.get(0);
        assertEquals(call.requestLine().substring(0, call.requestLine().indexOf(' ')), request.method());
        assertEquals(call.path(), request.target().replaceFirst("\\?.*", ""));
        assertEquals("", request.bodyText());
        assertNull(request.header("Content-Type"));
        assertNull(request.header("Transfer-Encoding"));
        if (call.framing() == Framing.LENGTH) {
            assertEquals("0", request.header("Content-Length"));
        } else {
            String length = request.header("Content-Length");
            assertTrue(length == null || length.equals("0"), "Content-Length: " + length);
        }
    }

    // 3. A body that breaks off after an allowed head ----------------------------------------------------

    /** A route that takes no body, and one that takes JSON; the target is the case's own, for the log. */
    enum Route {
        BODILESS("POST /v1.41/containers/broken%d/start"),
        JSON("POST /v1.41/containers/create?name=broken%d");

        final String requestLine;

        Route(String requestLine) {
            this.requestLine = requestLine;
        }
    }

    /**
     * A body whose framing breaks, and whether the client gets dockgate's 400 for it: Undertow itself closes
     * the connection when it cannot decode a chunked body, before dockgate hears of the error, so there the
     * connection closes without an answer.
     *
     * @param halfClose whether the client then closes its write side
     */
    record BrokenBody(String framing, String body, boolean halfClose, boolean answered) {
    }

    static Stream<Arguments> brokenBodies() {
        List<Named<BrokenBody>> bodies = List.of(
                named("10 bytes announced, 5 sent", new BrokenBody("Content-Length: 10", "hello", true, true)),
                named("a chunk of 10 announced, 5 sent",
                        new BrokenBody("Transfer-Encoding: chunked", "a\r\nhello", true, false)),
                named("a chunk size that is not hex",
                        new BrokenBody("Transfer-Encoding: chunked", "xyz\r\nhello\r\n0\r\n\r\n", false, false)),
                named("a chunk size that overflows",
                        new BrokenBody("Transfer-Encoding: chunked", "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n", false, false)));
        return bodies.stream().flatMap(broken -> Arrays.stream(Route.values()).map(route -> Arguments.of(broken, route)));
    }

    /**
     * The rules allowed the head, but the body never arrives whole: the call never reaches the daemon, the
     * access log says what the client got, and the gateway goes on serving.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("brokenBodies")
    void aBodyThatBreaksOffNeverReachesTheDaemon(BrokenBody broken, Route route) throws IOException {
        int id = cases.incrementAndGet();
        String requestLine = route.requestLine.formatted(id);
        try (RawClient client = connect(Transport.TCP)) {
            client.send(jsonHead(requestLine, id, broken.framing()) + broken.body());
            if (broken.halfClose()) {
                client.shutdownOutput();
            }
            if (broken.answered()) {
                assertDockgateError(400, client.read());
            } else {
                assertEquals("", new String(client.input().readAllBytes(), StandardCharsets.ISO_8859_1),
                        "an answer on a connection Undertow closed");
            }
        }
        awaitLogLine(" INFO access - 127\\.0\\.0\\.1:[0-9]+ \"" + Pattern.quote(requestLine) + "\" reject "
                + (broken.answered() ? "400 [0-9]+ " : "- 0 "));
        assertEquals(List.of(), reached(id));
        String path = requestLine.substring(requestLine.indexOf(' ') + 1).replaceFirst("\\?.*", "");
        assertEquals(List.of(), log.text().lines()
                .filter(line -> line.contains(" ERROR ") && line.contains(path)).toList());
        assertStillServing();
    }

    /**
     * An archive streams to the daemon as it arrives; when it breaks off, the daemon connection is closed
     * mid-body (so the daemon reads a broken request) and the client, which still listens, is told why.
     */
    @Test
    void aStreamedArchiveThatBreaksOffIsAnswered400() throws IOException {
        int id = cases.incrementAndGet();
        String requestLine = "PUT /v1.41/containers/broken-archive-" + id + "/archive?path=/tmp";
        try (RawClient client = connect(Transport.TCP)) {
            client.send(requestLine + " HTTP/1.1\r\nHost: x\r\nX-Case: " + id
                    + "\r\nContent-Type: application/x-tar\r\nContent-Length: 10\r\n\r\nhello");
            client.shutdownOutput();
            RawClient.Response response = client.read();
            assertDockgateError(400, response);
            assertTrue(response.body().contains("the request body broke off before its end"), response.body());
        }
        awaitLogLine(" INFO access - 127\\.0\\.0\\.1:[0-9]+ \"" + Pattern.quote(requestLine) + "\" allow 400 ");
        assertStillServing();
    }

    /**
     * Undertow, like the daemon's Go 1.19, reads a bare LF as the end of a chunk line, so {@code 5;x\n} starts a
     * chunk of seven bytes. The daemon never reads the client's framing: a route that takes no body gets none,
     * and a JSON body goes whole, with its length.
     */
    @ParameterizedTest
    @EnumSource(Route.class)
    void aBareLfInAChunkExtensionEndsTheLineAndTheDaemonGetsTheBodyReframed(Route route) throws IOException {
        int id = cases.incrementAndGet();
        String requestLine = route.requestLine.formatted(id);
        RawClient.Response response;
        try (RawClient client = connect(Transport.TCP)) {
            response = client.send(jsonHead(requestLine, id, "Transfer-Encoding: chunked")
                    + "7;x\n{\"A\":1}\r\n0\r\n\r\n").read();
        }
        assertEquals(200, response.status(), response.body());
        List<StandInDaemon.Request> seen = reached(id);
        assertEquals(1, seen.size());
        StandInDaemon.Request request = seen.get(0);
        assertNull(request.header("Transfer-Encoding"));
        if (route == Route.BODILESS) {
            assertEquals("", request.bodyText());
            assertNull(request.header("Content-Type"));
        } else {
            assertEquals("{\"A\":1}", request.bodyText());
            assertEquals("7", request.header("Content-Length"));
            assertEquals("application/json", request.header("Content-Type"));
        }
    }

    /** An HTTP/1.1 head with a JSON Content-Type and the given framing header, as a test writes it by hand. */
    private static String jsonHead(String requestLine, int id, String framing) {
        return requestLine + " HTTP/1.1\r\nHost: x\r\nX-Case: " + id + "\r\nContent-Type: application/json\r\n"
                + framing + "\r\n\r\n";
    }

    private void assertStillServing() throws IOException {
        try (RawClient client = connect(Transport.TCP)) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    /** Waits for the access log line, which is written once the exchange has ended, within a deadline. */
    private void awaitLogLine(String regex) {
        Pattern pattern = Pattern.compile(regex);
        await("a log line /" + regex + "/").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(log::text, text -> text.lines().anyMatch(line -> pattern.matcher(line).find()));
    }

    // 4. Bodies over what the gateway reads in whole ------------------------------------------------------

    static Stream<Arguments> oversizedBodies() {
        return Stream.of(
                Arguments.of(Route.BODILESS, DROPPED_LIMIT + 1, Framing.LENGTH),
                Arguments.of(Route.BODILESS, DROPPED_LIMIT + 1, Framing.CHUNKED),
                Arguments.of(Route.JSON, JSON_LIMIT + 1, Framing.LENGTH),
                Arguments.of(Route.JSON, JSON_LIMIT + 1, Framing.CHUNKED));
    }

    /**
     * 64 KiB is the most read to be dropped, 1 MiB the most of JSON read whole. A length over it is refused
     * before the body is invited (the client sends Expect: 100-continue, as curl does for large bodies); a
     * chunked body is refused once it has grown past it. (The chunk is sent without its end, so the gateway
     * has read every byte when it closes.)
     */
    @ParameterizedTest(name = "{0} {1} bytes {2}")
    @MethodSource("oversizedBodies")
    void aBodyOverTheLimitIs413AndNeverReachesTheDaemon(Route route, long size, Framing framing) throws IOException {
        int id = cases.incrementAndGet();
        String requestLine = route.requestLine.formatted(id);
        byte[] body = new byte[(int) size];
        Arrays.fill(body, (byte) 'a');
        RawClient.Response response;
        try (RawClient client = connect(Transport.TCP)) {
            if (framing == Framing.LENGTH) {
                Answer answer = exchange(client, new Call(requestLine, "HTTP/1.1", "application/json", framing, true, body, id));
                assertFalse(answer.continued(), "a body over the limit was asked for");
                response = answer.response();
            } else {
                client.send(jsonHead(requestLine, id, "Transfer-Encoding: chunked") + Long.toHexString(size) + "\r\n");
                client.send(body);
                response = client.read();
            }
        }
        assertDockgateError(413, response);
        assertEquals(List.of(), reached(id));
        assertStillServing();
    }

    /** Up to the limits, the call goes on: a dropped body as none, a JSON body whole, with its exact length. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bodiesAtTheLimit")
    void aBodyAtTheLimitGoesThrough(Route route, Framing framing) throws IOException {
        int id = cases.incrementAndGet();
        String requestLine = route.requestLine.formatted(id);
        byte[] body = route == Route.JSON ? jsonOf(JSON_LIMIT) : FORM.repeat((int) DROPPED_LIMIT).substring(0, (int) DROPPED_LIMIT)
                .getBytes(StandardCharsets.US_ASCII);
        Call call = new Call(requestLine, "HTTP/1.1", "application/json", framing, false, body, id);
        RawClient.Response response;
        try (RawClient client = connect(Transport.TCP)) {
            response = exchange(client, call).response();
        }
        assertEquals(200, response.status(), response.body());
        if (route == Route.BODILESS) {
            assertCalledWithoutBody(call);
            return;
        }
        List<StandInDaemon.Request> seen = reached(id);
        assertEquals(1, seen.size());
        assertEquals(Long.toString(JSON_LIMIT), seen.get(0).header("Content-Length"));
        assertNull(seen.get(0).header("Transfer-Encoding"));
        assertEquals("application/json", seen.get(0).header("Content-Type"));
        assertArrayEquals(body, seen.get(0).body());
    }

    static Stream<Arguments> bodiesAtTheLimit() {
        return Arrays.stream(Route.values())
                .flatMap(route -> Arrays.stream(Framing.values()).map(framing -> Arguments.of(route, framing)));
    }

    /** A create body of exactly {@code size} bytes. */
    private static byte[] jsonOf(long size) {
        String start = "{\"Image\":\"alpine\",\"Labels\":{\"pad\":\"";
        String end = "\"}}";
        String json = start + "p".repeat((int) size - start.length() - end.length()) + end;
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
