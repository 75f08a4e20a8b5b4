package dockgate.server;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenAddress;
import dockgate.ListenSpec;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.access.TlsFiles;
import dockgate.policy.Profile;
import dockgate.testing.RawClient;
import dockgate.testing.Scrape;
import dockgate.testing.StandInDaemon;
import dockgate.testing.TestCertificates;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that Undertow's own HTTP parser (or its Host header check) refuses before any handler runs. On every
 * kind of listener each must get dockgate's JSON 400 saying why, on a connection that is then closed, a WARN
 * line naming the client and the request, and a count in /metrics; none may reach the daemon, and the gateway
 * must go on serving.
 */
@Timeout(120)
class ParserRefusalsTest {

    private static final String REJECTS = "dockgate_requests_total{rule=\"none\",decision=\"reject\",status=\"400\"}";
    /**
     * Carried by every request of these tests, so that the daemon's record tells them from the admin
     * listener's own pings of the daemon (which a scrape of /metrics may set off).
     */
    private static final String MARK = "X-Parser-Refusals-Test: 1";

    /**
     * One refused request.
     *
     * @param target       the request target exactly as sent, one char per byte
     * @param loggedTarget the target as the log prints it (bytes outside printable ASCII, and '"', as \xNN)
     * @param reason       what dockgate says is wrong
     */
    record Case(String name, String request, String loggedTarget, String reason) {

        static Case of(String name, String target, String loggedTarget, String reason) {
            return new Case(name, "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + MARK + "\r\n\r\n", loggedTarget, reason);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        String badQueryEscape = "bad query: malformed %-escape in query string";
        String badPathEscape = "bad request path: malformed percent escape in path";
        String noLeadingSlash = "bad request path: path must start with '/'";
        return List.of(
                Case.of("malformed escape in the query", "/containers/json?all=%zz", "/containers/json?all=%zz", badQueryEscape),
                Case.of("lone % in the query", "/containers/json?all=1%", "/containers/json?all=1%", badQueryEscape),
                Case.of("lone % in the path", "/_ping%", "/_ping%", badPathEscape),
                Case.of("%u0041 in the path", "/_p%u0069ng", "/_p%u0069ng", badPathEscape),
                Case.of("%u002e in the path", "/%u002e%u002e/_ping", "/%u002e%u002e/_ping", badPathEscape),
                Case.of("%u0041 in the query", "/containers/json?all=%u0041", "/containers/json?all=%u0041", badQueryEscape),
                Case.of("# in the path", "/containers/json#/../create", "/containers/json#/../create",
                        "bad request path: character '#' not allowed in path"),
                Case.of("# in the query", "/containers/json?all=1#x", "/containers/json?all=1#x",
                        "bad query: character '#' not allowed in query string"),
                Case.of("raw UTF-8 in the path", "/containers/caf\u00c3\u00a9/json", "/containers/caf\\xc3\\xa9/json",
                        "bad request path: non-ASCII character in path"),
                Case.of("lone high byte in the path", "/_ping\u00ff", "/_ping\\xff", "bad request path: non-ASCII character in path"),
                Case.of("raw UTF-8 in the query", "/containers/json?filters=caf\u00c3\u00a9", "/containers/json?filters=caf\\xc3\\xa9",
                        "bad query: non-ASCII character in query string"),
                Case.of("lone high byte in the query", "/containers/json?all=\u00e9", "/containers/json?all=\\xe9",
                        "bad query: non-ASCII character in query string"),
                Case.of("quote in the path", "/containers/\"abc\"/json", "/containers/\\x22abc\\x22/json",
                        "bad request path: character '\"' not allowed in path"),
                Case.of("quote in the query", "/containers/json?all=\"1\"", "/containers/json?all=\\x221\\x22",
                        "bad query: character '\"' not allowed in query string"),
                Case.of("brace in the path", "/containers/{id}/json", "/containers/{id}/json",
                        "bad request path: character '{' not allowed in path"),
                Case.of("raw JSON in the query", "/containers/json?filters={\"status\":[\"running\"]}",
                        "/containers/json?filters={\\x22status\\x22:[\\x22running\\x22]}", "bad query: character '{' not allowed in query string"),
                Case.of("target without a slash", "_ping", "_ping", noLeadingSlash),
                Case.of("relative path", "x/_ping", "x/_ping", noLeadingSlash),
                Case.of("absolute-form with an IPv6 literal", "http://[::1]/_ping", "http://[::1]/_ping",
                        "absolute-form request targets are not accepted"),
                new Case("HTTP/1.1 without Host", "GET /_ping HTTP/1.1\r\n" + MARK + "\r\n\r\n", "/_ping",
                        "an HTTP/1.1 request needs a Host header"));
    }

    /** The kinds of listener, each of which must answer the same. */
    enum Kind { TCP, TLS, UNIX }

    static Stream<Arguments> casesOnEveryListener() {
        return Stream.of(Kind.values()).flatMap(kind -> cases().stream().map(c -> Arguments.of(kind, c)));
    }

    @TempDir
    static Path dir;

    private static StandInDaemon daemon;
    /** A TCP and a Unix listener. */
    private static Gateway plain;
    /** A TLS listener. */
    private static Gateway tls;
    private static SSLContext tlsClient;

    private PrintStream stderr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        Path socket = dir.resolve("d.sock");
        daemon = StandInDaemon.start(socket, StandInDaemon.OK);
        Config config = Config.defaults("127.0.0.1", 0, socket, Profile.builtIn()).withAdmin(new ListenAddress("127.0.0.1", 0));
        plain = Gateway.start(config.withListeners(List.of(ListenSpec.tcp("127.0.0.1", 0),
                ListenSpec.unix(dir.resolve("g.sock"), 0600, null))));
        TestCertificates certs = TestCertificates.make(dir.resolve("pki"), "dockgate test CA");
        tls = Gateway.start(config.withTls(new TlsFiles(certs.serverCert, certs.serverKey, null)));
        tlsClient = certs.trustingClient();
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable running : new AutoCloseable[] {plain, tls, daemon}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    @BeforeEach
    void captureLog() {
        // slf4j-simple and the access log both write to whatever System.err is at the time.
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(stderr);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("casesOnEveryListener")
    void aRequestTheParserRefusesGetsDockgatesJsonErrorALogLineAndACount(Kind kind, Case c) throws Exception {
        Gateway gateway = kind == Kind.TLS ? tls : plain;
        double rejectsBefore = rejects(gateway);
        int daemonBefore = ours().size();
        String client;
        String answer;
        try (RawClient raw = connect(kind)) {
            raw.send(c.request());
            // Everything until the gateway closes the connection: the answer must be all there is.
            answer = new String(raw.input().readAllBytes(), StandardCharsets.ISO_8859_1);
            client = kind == Kind.UNIX ? unixClient() : "127.0.0.1:" + raw.localPort();
        }
        String body = "{\"message\":\"dockgate: " + c.reason().replace("\"", "\\\"") + "\"}\n";
        assertAnswer(body, answer);

        String line = " WARN ParseFailureAnswer - reject " + client + " GET " + c.loggedTarget() + ": " + c.reason();
        await("a log line ending '" + line + "'").atMost(Duration.ofSeconds(5)).until(() -> logLines().stream().anyMatch(l -> l.endsWith(line)));
        await("the rejection counted in /metrics").atMost(Duration.ofSeconds(5)).until(() -> rejects(gateway) == rejectsBefore + 1);
        assertEquals(daemonBefore, ours().size(), "reached the daemon");

        try (RawClient raw = connect(kind)) {
            raw.send("GET /_ping HTTP/1.1\r\nHost: x\r\n" + MARK + "\r\n\r\n");
            assertEquals(200, raw.read().status(), "the gateway stopped serving");
        }
        await("the ping after it recorded by the daemon").atMost(Duration.ofSeconds(5)).until(() -> ours().size() == daemonBefore + 1);
    }

    @Test
    void aPipelinedRequestThatTheParserRefusesIsNamedInTheLogAfterTheCallsBeforeIt() throws Exception {
        String ping = "GET /_ping HTTP/1.1\r\nHost: x\r\n" + MARK + "\r\n\r\n";
        String tag = "POST /images/a/tag?repo=b HTTP/1.1\r\nHost: x\r\n" + MARK + "\r\nContent-Length: 5\r\n\r\nhello";
        String refused = "GET /containers/json?all=%zz HTTP/1.1\r\nHost: x\r\n" + MARK + "\r\n\r\n";
        int daemonBefore = ours().size();
        try (RawClient raw = new RawClient(plain.port())) {
            raw.send(ping + tag + refused + ping);
            assertEquals(200, raw.read().status());
            assertEquals(200, raw.read().status());
            RawClient.Response answer = raw.read();
            assertEquals(400, answer.status());
            assertEquals("{\"message\":\"dockgate: bad query: malformed %-escape in query string\"}\n", answer.body());
            assertEquals(true, raw.closedByServer(), "the last ping was read after the refusal");
        }
        String line = "reject 127.0.0.1:";
        await("the refusal logged with its own target").atMost(Duration.ofSeconds(5)).until(() -> logLines().stream().anyMatch(
                l -> l.contains(line) && l.endsWith(" GET /containers/json?all=%zz: bad query: malformed %-escape in query string")));
        List<String> seen = ours().subList(daemonBefore, ours().size()).stream().map(r -> r.method() + " " + r.target()).toList();
        assertEquals(List.of("GET /_ping", "POST /images/a/tag?repo=b"), seen);
    }

    private static void assertAnswer(String body, String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            fail("not an HTTP response: " + answer);
        }
        String[] head = answer.substring(0, headEnd).split("\r\n");
        assertEquals("HTTP/1.1 400 Bad Request", head[0]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
        }
        assertEquals(Map.of("connection", "close", "content-type", "application/json",
                "content-length", Integer.toString(body.length())), headers);
        assertEquals(body, answer.substring(headEnd + 4));
    }

    /** The requests of these tests that reached the daemon. */
    private static List<StandInDaemon.Request> ours() {
        String name = MARK.substring(0, MARK.indexOf(':'));
        return daemon.requests().stream().filter(r -> r.header(name) != null).toList();
    }

    private static RawClient connect(Kind kind) throws IOException {
        return switch (kind) {
            case TCP -> new RawClient(plain.port());
            case TLS -> RawClient.tls(tls.port(), tlsClient);
            case UNIX -> RawClient.unix(dir.resolve("g.sock"));
        };
    }

    /** How the gateway names this process as a Unix socket client. */
    private static String unixClient() throws IOException {
        return "unix:pid=" + ProcessHandle.current().pid() + ",uid=" + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static double rejects(Gateway gateway) {
        try (RawClient admin = new RawClient(gateway.adminPort())) {
            return Scrape.of(admin.get("/metrics").body()).value(REJECTS);
        } catch (IOException e) {
            throw new AssertionError("cannot read /metrics", e);
        }
    }

    private List<String> logLines() {
        return new ArrayList<>(List.of(log.toString(StandardCharsets.UTF_8).split("\n")));
    }
}
