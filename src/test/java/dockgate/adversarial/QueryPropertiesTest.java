package dockgate.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import dockgate.testing.GoQuery;
import dockgate.testing.RandomCases;
import dockgate.testing.RandomCases.Draw;
import dockgate.testing.RawClient;
import dockgate.testing.GatewayFixture;
import dockgate.testing.StandInDaemon;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random queries through a gateway in front of a recording stand-in daemon. The daemon must read, in what it
 * is sent, exactly the parameters the rules judged, and those are what the daemon would have read in the
 * client's own query; a query the daemon could read some other way, or not at all, never reaches it.
 * "Read as the daemon reads" is {@link GoQuery}, written apart from dockgate's {@link Query}.
 */
class QueryPropertiesTest {

    /** The rule reads {@code all}, so that a rule's judgement of a value is part of every try. */
    private static final Profile RULES = policy("GET /containers/json  all=~(?s).*\n");

    @RegisterExtension
    static final GatewayFixture fixture = GatewayFixture.perClass();

    private static StandInDaemon daemon;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), RULES));
    }

    /** What a try turned out to be; each must occur, or the generator no longer tests what it claims to. */
    enum Kind { FORWARDED, BAD_QUERY, DENIED }

    @Test
    void theDaemonReadsExactlyTheParametersTheRulesJudged() throws Exception {
        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        RandomCases.forAll(600, QueryPropertiesTest::query, raw -> seen.add(check(raw)));
        assertEquals(EnumSet.allOf(Kind.class), seen, "kinds of tries seen");
    }

    private static Kind check(String raw) throws IOException {
        int before = daemon.requests().size();
        RawClient.Response response;
        try (RawClient client = new RawClient(gateway.port())) {
            response = client.send("GET /v1.41/containers/json?" + raw + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
        }
        GoQuery.Reading client = GoQuery.parse(raw);
        if (raw.startsWith("?")) {
            // Undertow hands over such a query without its first '?', where Go keeps it in the first name.
            assertEquals(400, response.status(), response.body());
            assertEquals(before, daemon.requests().size(), "a query read two ways reached the daemon");
            return Kind.BAD_QUERY;
        }
        Query judged;
        try {
            judged = Query.parse(raw);
        } catch (UnreadableQueryException e) {
            assertEquals(400, response.status(), response.body());
            assertTrue(response.body().startsWith("{\"message\":\"dockgate: bad query: "), response.body());
            assertEquals(before, daemon.requests().size(), "an unreadable query reached the daemon");
            // Refused only where Go too fails, keeps bytes that are not UTF-8, or sees a byte we do not take raw.
            assertTrue(client.failed() || !utf8(client) || !plainAscii(raw), "refused a query Go reads plainly: " + e.getMessage());
            return Kind.BAD_QUERY;
        }
        List<GoQuery.Pair> judgedPairs = new ArrayList<>();
        for (int i = 0; i < judged.size(); i++) {
            judgedPairs.add(GoQuery.Pair.ofText(judged.name(i), judged.value(i)));
        }
        assertFalse(client.failed(), "dockgate read a query Go refuses");
        assertEquals(client.pairs(), judgedPairs, "dockgate judged other values than the daemon reads in the client's query");
        if (response.status() == 403) {
            assertEquals(before, daemon.requests().size(), "a denied call reached the daemon");
            assertTrue(judgedPairs.stream().filter(p -> p.name().equals("all")).count() > 1, response.body());
            return Kind.DENIED;
        }
        assertEquals(200, response.status(), response.body());
        List<StandInDaemon.Request> requests = daemon.requests();
        assertEquals(before + 1, requests.size());
        String target = requests.get(requests.size() - 1).target();
        String sent = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        GoQuery.Reading daemonReads = GoQuery.parse(sent);
        assertFalse(daemonReads.failed(), "the daemon cannot read what it was sent: " + sent);
        assertEquals(judgedPairs, daemonReads.pairs(), "the daemon reads other values than the rules judged: " + sent);
        return Kind.FORWARDED;
    }

    private static boolean utf8(GoQuery.Reading reading) {
        for (GoQuery.Pair pair : reading.pairs()) {
            for (String bytes : List.of(pair.name(), pair.value())) {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)));
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Characters a query may carry unencoded (RFC 3986's query set without ';'). */
    private static boolean plainAscii(String raw) {
        for (char c : raw.toCharArray()) {
            if (c > 0x7e || c <= 0x20 || "\"#<>[\\]^`{|}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** A query of a few pairs, drawn to hit what Go reads specially: repeats, '+', escapes, UTF-8, ';', empties. */
    private static String query(Draw draw) {
        List<String> pairs = draw.list(0, 6, () -> pair(draw));
        return String.join("&", pairs);
    }

    private static String pair(Draw draw) {
        String name = switch (draw.weighted(5, 2, 1, 1)) {
            case 0 -> draw.oneOf("all", "filters", "size", "limit", "a%6Cl", "al%6c", "ALL");
            case 1 -> part(draw);
            case 2 -> "";
            default -> "all";
        };
        return switch (draw.weighted(6, 1, 1)) {
            case 0 -> name + "=" + part(draw);
            case 1 -> name;
            default -> name + "=" + part(draw) + "=" + part(draw);
        };
    }

    private static String part(Draw draw) {
        StringBuilder out = new StringBuilder();
        int pieces = draw.between(0, 5);
        for (int i = 0; i < pieces; i++) {
            out.append(switch (draw.weighted(6, 2, 3, 2, 1, 1, 1)) {
                case 0 -> draw.string("abcXYZ019-._~!$'()*,:@/?", 1, 4);
                case 1 -> "+";
                case 2 -> String.format("%%%02X", draw.between(0, 255));
                case 3 -> draw.oneOf("%C3%A9", "%e2%82%ac", "%F0%9F%90%B3", "%c3", "%C0%AE", "%ED%A0%80", "%7B%22a%22%3A1%7D");
                case 4 -> ";";
                case 5 -> draw.oneOf("%", "%z", "%4", "%zz", "%u0041");
                default -> draw.oneOf("%25", "%2B", "%26", "%3D", "%3B", "%20");
            });
        }
        return out.toString();
    }

    private static Profile policy(String text) {
        try {
            return Profile.parse("query-properties", text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
