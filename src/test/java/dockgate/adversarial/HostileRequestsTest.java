package dockgate.adversarial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.Quiescence;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile requests, each sent as raw bytes to one gateway in front of a recording stand-in daemon with the
 * default rules. For every case: what the client got must be what the table says, and every request that
 * reached the daemon, as the stand-in recorded it and as the bytes crossed the wire, must be allowed,
 * canonical, unambiguous and free of upgrades. After every case the gateway must still answer a ping on a
 * new connection.
 *
 * <p>A row per case goes to {@code target/adversarial/hostile-requests.md}.
 */
class HostileRequestsTest {

    private static final int TIMEOUT_MILLIS = 5000;
    private static final Profile RULES = Profile.builtIn();
    private static final Path REPORT = Path.of("target", "adversarial", "hostile-requests.md");

    @RegisterExtension
    static final GatewayFixture fixture = GatewayFixture.perClass();

    private static StandInDaemon daemon;
    private static WireTap tap;
    private static Gateway gateway;
    /** Wire-level problems already blamed on an earlier case. */
    private static final Set<String> reported = new HashSet<>();
    private static final Map<String, String> rows = new LinkedHashMap<>();
    private static long started;

    @BeforeAll
    static void start() throws IOException {
        started = System.nanoTime();
        // The gateway forwards to a tap in front of the daemon, so that the bytes on the wire are judged too.
        Path tapSocket = fixture.dir().resolve("t.sock");
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        tap = fixture.closeAfter(WireTap.start(tapSocket, fixture.socket()));
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, tapSocket, Profile.builtIn()));
    }

    /** Before the fixture closes the gateway, the tap and the daemon. */
    @AfterAll
    static void stop() throws IOException {
        writeReport();
    }

    @Test
    void theTableHasAtLeast150DistinctCases() {
        List<HostileCase> cases = HostileCases.all();
        Set<String> names = cases.stream().map(HostileCase::toString).collect(Collectors.toSet());
        Set<String> requests = cases.stream().map(c -> new String(c.bytes(), StandardCharsets.ISO_8859_1)).collect(Collectors.toSet());
        assertEquals(cases.size(), names.size(), "duplicate case names");
        assertEquals(cases.size(), requests.size(), "two cases send the same bytes");
        long hostile = cases.stream().filter(c -> !c.category().equals("baseline")).count();
        assertTrue(hostile >= 150, "only " + hostile + " hostile cases");
    }

    /**
     * Not a client trick but found by this suite: a daemon that answers HEAD with a body leaves 11 stray bytes
     * on the kept-alive daemon connection. The gateway pooled that connection, and the next call on it got a
     * response Netty cannot decode, which the gateway relayed as "HTTP/1.1 999 Unknown" instead of refusing
     * it (502) or discarding the dirty connection. A real dockerd sends no body after HEAD, but any daemon
     * answer Netty fails to parse takes the same path.
     */
    @Test
    void aDaemonAnswerTheGatewayCannotParseIsNotRelayedAsStatus999() throws Exception {
        Path socket = fixture.dir().resolve("h.sock");
        StandInDaemon.Responder bodyEvenForHead = (request, connection) ->
                connection.send(200, "application/json", "{\"ok\":true}");
        try (StandInDaemon sloppy = StandInDaemon.start(socket, bodyEvenForHead)) {
            Gateway other = Gateway.start(Config.defaults("127.0.0.1", 0, socket, Profile.builtIn()));
            try {
                List<Integer> statuses = new ArrayList<>();
                for (String request : List.of("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n", "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")) {
                    try (HostileClient client = new HostileClient(other.port(), TIMEOUT_MILLIS)) {
                        client.send(request.getBytes(StandardCharsets.ISO_8859_1), false);
                        HostileClient.Outcome outcome = client.read(1, new boolean[] {request.startsWith("HEAD")});
                        statuses.add(outcome.finals().isEmpty() ? -1 : outcome.finals().get(0).status());
                    }
                }
                for (int status : statuses.subList(1, statuses.size())) {
                    assertTrue(status == 200 || status == 502, "HEAD then GET, GET on new connections got " + statuses
                            + "; a response the gateway cannot parse must become 502 (or the dirty connection be dropped)");
                }
            } finally {
                other.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> hostileRequests() {
        Map<String, List<HostileCase>> byCategory = HostileCases.all().stream()
                .collect(Collectors.groupingBy(HostileCase::category, LinkedHashMap::new, Collectors.toList()));
        return byCategory.entrySet().stream().map(group -> DynamicContainer.dynamicContainer(
                group.getKey() + " (" + group.getValue().size() + ")",
                group.getValue().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)))));
    }

    // --- one case ------------------------------------------------------------------------------------

    private static void run(HostileCase c) throws Exception {
        List<String> failures = new ArrayList<>();
        int before = daemon.requests().size();

        HostileClient.Outcome outcome;
        IOException writeFailure;
        try (HostileClient client = new HostileClient(gateway.port(), TIMEOUT_MILLIS)) {
            outcome = client.play(c);
            writeFailure = client.writeFailure();
        }
        failures.addAll(judgeClient(c, outcome));

        settle();
        List<StandInDaemon.Request> all = daemon.requests();
        List<StandInDaemon.Request> seen = all.subList(Math.min(before, all.size()), all.size());
        List<String> lines = seen.stream().map(r -> r.method() + " " + r.target()).toList();
        if (!c.daemon().contains(lines)) {
            failures.add("daemon saw " + lines + ", expected one of " + c.daemon());
        }
        if (c.bodies() != null) {
            List<String> bodies = seen.stream().map(StandInDaemon.Request::bodyText).toList();
            if (!bodies.equals(c.bodies())) {
                failures.add("daemon got bodies " + bodies.stream().map(WireParser::printable).toList() + ", expected "
                        + c.bodies().stream().map(WireParser::printable).toList());
            }
        }
        for (StandInDaemon.Request request : seen) {
            for (Map.Entry<String, String> expected : c.headers().entrySet()) {
                List<String> values = request.headers().get(expected.getKey().toLowerCase(Locale.ROOT));
                List<String> wanted = expected.getValue() == null ? null : List.of(expected.getValue());
                if (!java.util.Objects.equals(values, wanted)) {
                    failures.add("daemon got " + expected.getKey() + ": " + values + ", expected " + (wanted == null ? "none" : wanted));
                }
            }
        }
        for (StandInDaemon.Request request : seen) {
            failures.addAll(oracle("daemon recorded", request.method(), request.target(), name -> {
                List<String> values = request.headers().get(name.toLowerCase(Locale.ROOT));
                return values == null ? List.of() : values;
            }));
        }
        failures.addAll(newWireProblems());

        String ping = healthPing();
        if (ping != null) {
            failures.add(ping);
        }

        String client = outcome.summary() + (writeFailure != null ? " (client write failed: " + writeFailure.getMessage() + ")" : "");
        String daemonSide = lines.isEmpty() ? "nothing" : lines.stream().map(WireParser::printable).collect(Collectors.joining("; "));
        rows.put(c.toString(), "| " + c.category() + " | " + WireParser.printable(c.name()) + " | `" + cut(c.printableRequest(), 90)
                + "` | " + client + " | " + cut(daemonSide, 120) + " | " + (failures.isEmpty() ? "pass" : "**FAIL**") + " | "
                + WireParser.printable(c.why()) + " |");
        if (!failures.isEmpty()) {
            fail(c + "\n  request: " + cut(c.printableRequest(), 300) + "\n  client:  " + client + describe(outcome)
                    + "\n  daemon:  " + daemonSide + "\n  - " + String.join("\n  - ", failures));
        }
    }

    static List<String> judgeClient(HostileCase c, HostileClient.Outcome outcome) {
        List<String> failures = new ArrayList<>();
        List<RawClient.Response> finals = outcome.finals();
        for (int i = 0; i < c.slots().size(); i++) {
            HostileCase.Slot slot = c.slots().get(i);
            if (i < finals.size()) {
                RawClient.Response response = finals.get(i);
                if (!slot.statuses().contains(response.status())) {
                    failures.add("response " + (i + 1) + ": got " + response.status() + ", expected " + slot.label());
                } else if (!slot.head()) {
                    String wrong = slot.body().check(response);
                    if (wrong != null) {
                        failures.add("response " + (i + 1) + ": " + wrong + ": " + WireParser.printable(String.valueOf(response.body())));
                    }
                }
            } else {
                HostileClient.End end = outcome.end();
                boolean ended = end == HostileClient.End.CLOSED || end == HostileClient.End.RESET;
                if (!ended) {
                    failures.add("response " + (i + 1) + ": " + (end == null ? "missing" : end.name().toLowerCase(Locale.ROOT)
                            + (outcome.detail() != null ? " (" + outcome.detail() + ")" : "")) + ", expected " + slot.label());
                } else if (!slot.closeOk()) {
                    failures.add("response " + (i + 1) + ": connection " + end.name().toLowerCase(Locale.ROOT) + ", expected " + slot.label());
                }
                break;
            }
        }
        return failures;
    }

    private static String describe(HostileClient.Outcome outcome) {
        StringBuilder out = new StringBuilder();
        for (RawClient.Response response : outcome.responses()) {
            out.append("\n           ").append(WireParser.printable(response.statusLine())).append(' ')
                    .append(cut(WireParser.printable(String.valueOf(response.body())), 200));
        }
        if (outcome.detail() != null) {
            out.append("\n           (").append(outcome.detail()).append(')');
        }
        return out.toString();
    }

    /**
     * What must hold for every request that reaches the daemon, whatever the client sent: a canonical path,
     * allowed by the default rules with its query, no upgrade, no ambiguous framing.
     */
    static List<String> oracle(String where, String method, String target, Function<String, List<String>> header) {
        return oracle(where, method, target, header, RULES);
    }

    /** The same, judged by other rules, or by none (audit mode) when rules is null. */
    static List<String> oracle(String where, String method, String target, Function<String, List<String>> header,
                               Profile rules) {
        List<String> problems = new ArrayList<>();
        String what = where + " " + WireParser.printable(method + " " + target) + ": ";
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        try {
            String canonical = CanonicalPath.of(path);
            if (!canonical.equals(path)) {
                problems.add(what + "path is not canonical (canonical form " + canonical + ")");
            }
            if (rules != null && !rules.decide(method, path, query).allowed()) {
                problems.add(what + "not allowed by the default rules");
            }
        } catch (BadPathException e) {
            problems.add(what + "path refused by CanonicalPath: " + e.getMessage());
        }
        if (!header.apply("Upgrade").isEmpty()) {
            problems.add(what + "carries Upgrade " + header.apply("Upgrade"));
        }
        for (String connection : header.apply("Connection")) {
            for (String token : connection.split(",")) {
                if (token.strip().equalsIgnoreCase("upgrade")) {
                    problems.add(what + "carries Connection: " + connection);
                }
            }
        }
        if (!header.apply("Transfer-Encoding").isEmpty() && !header.apply("Content-Length").isEmpty()) {
            problems.add(what + "carries both Transfer-Encoding and Content-Length");
        }
        return problems;
    }

    /**
     * Reads every byte the gateway wrote to the daemon, strictly, and returns the problems not yet blamed on
     * an earlier case: requests that fail the oracle (complete or cut short), malformed framing, and
     * disagreement between the wire and what the stand-in recorded.
     */
    private static List<String> newWireProblems() {
        List<String> found = new ArrayList<>();
        List<StandInDaemon.Request> recorded = daemon.requests();
        for (WireTap.Tapped connection : tap.connections()) {
            WireParser.Result result = WireParser.parse(connection.bytes());
            String where = "wire conn " + connection.id;
            for (String problem : result.problems()) {
                found.add(where + ": " + problem);
            }
            List<String> wire = new ArrayList<>();
            for (int i = 0; i < result.requests().size(); i++) {
                WireParser.WireRequest request = result.requests().get(i);
                for (String problem : oracle(where + " #" + (i + 1), request.method(), request.target(), request::values)) {
                    found.add(problem);
                }
                if (request.complete()) {
                    wire.add(request.line());
                }
            }
            List<String> stand = recorded.stream().filter(r -> r.connection() == connection.id)
                    .map(r -> r.method() + " " + r.target()).toList();
            if (!wire.equals(stand)) {
                found.add(where + ": the wire carried " + wire.size() + " whole requests, the stand-in recorded " + stand.size()
                        + " (" + firstDifference(wire, stand) + ")");
            }
        }
        List<String> fresh = new ArrayList<>();
        for (String problem : found) {
            if (reported.add(problem)) {
                fresh.add(problem);
            }
        }
        return fresh;
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "-";
            String y = i < b.size() ? b.get(i) : "-";
            if (!x.equals(y)) {
                return "#" + (i + 1) + ": wire " + WireParser.printable(x) + " vs stand-in " + WireParser.printable(y);
            }
        }
        return "same";
    }

    /**
     * Waits until the gateway has stopped writing to the daemon and the stand-in has recorded all of it. A
     * whole request on the wire that the stand-in never records is not a timeout but the case's finding: the
     * comparison of what the daemon saw, after this, reports it.
     */
    private static void settle() {
        try {
            Quiescence.awaitStill("the gateway stops writing to the daemon", tap::upBytes, Duration.ofMillis(25),
                    Duration.ofSeconds(3));
            await("the stand-in has recorded every whole request on the wire").atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(2)).until(() -> daemon.requests().size() >= wholeWireRequests());
        } catch (ConditionTimeoutException e) {
            // judged by the caller, see above
        }
    }

    private static long wholeWireRequests() {
        long count = 0;
        for (WireTap.Tapped connection : tap.connections()) {
            count += WireParser.parse(connection.bytes()).completeCount();
        }
        return count;
    }

    /** Null when the gateway answers GET /_ping with 200 on a new connection, else what went wrong. */
    private static String healthPing() throws IOException {
        try (HostileClient client = new HostileClient(gateway.port(), TIMEOUT_MILLIS)) {
            client.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
            HostileClient.Outcome outcome = client.read(1, null);
            if (outcome.finals().size() == 1 && outcome.finals().get(0).status() == 200) {
                return null;
            }
            return "after the case, GET /_ping on a new connection got " + outcome.summary();
        }
    }

    // --- report --------------------------------------------------------------------------------------

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + ")";
    }

    private static void writeReport() throws IOException {
        List<HostileCase> cases = HostileCases.all();
        Map<String, Long> counts = cases.stream().collect(Collectors.groupingBy(HostileCase::category, LinkedHashMap::new,
                Collectors.counting()));
        StringBuilder out = new StringBuilder("# Hostile requests against dockgate (default rules, stand-in daemon)\n\n");
        out.append(rows.size()).append(" cases run of ").append(cases.size()).append(" in ")
                .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).append(" ms. ");
        out.append("Per category: ").append(counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))).append(".\n\n");
        out.append("Client: statuses of the responses read, in order (`json` = dockgate's JSON error, `daemon` = the stand-in's "
                + "body, `empty` = empty body), then how the connection ended if it ended before the expected responses. "
                + "Daemon: every request the stand-in recorded for the case.\n\n");
        out.append("| category | case | request | client | daemon | verdict | note |\n|---|---|---|---|---|---|---|\n");
        for (String row : rows.values()) {
            out.append(row.replace("`|", "`\\|")).append('\n');
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, out.toString(), StandardCharsets.UTF_8);
        System.out.println("hostile request table: " + REPORT.toAbsolutePath());
    }
}
