package dockgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped conf/rules, as packaged into the jar. */
class ProfileTest {

    private static final Profile BUILT_IN = Profile.builtIn();

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    private static final String TAG_128 = "a".repeat(128);

    private static final boolean ALLOW = true;
    private static final boolean DENY = false;

    /** Each row is tried bare and under /v1.41, except paths that already carry a version. */
    static Stream<Arguments> requests() {
        List<Arguments> rows = new ArrayList<>();
        for (Object[] row : new Object[][] {
                {"GET", "/_ping", null, ALLOW},
                {"HEAD", "/_ping", null, ALLOW},
                {"GET", "/version", null, ALLOW},
                {"GET", "/info", null, ALLOW},
                {"GET", "/events", null, ALLOW},
                {"GET", "/events", "since=0&filters=%7B%22type%22%3A%5B%22container%22%5D%7D", ALLOW},
                {"GET", "/system/df", null, ALLOW},
                {"GET", "/containers/json", null, ALLOW},
                {"GET", "/containers/json", "all=1", ALLOW},
                {"GET", "/containers/abc123/json", null, ALLOW},
                {"GET", "/containers/my-app_1.web/json", null, ALLOW},
                {"GET", "/images/json", null, ALLOW},
                {"GET", "/images/alpine/json", null, ALLOW},
                {"GET", "/images/alpine:3.19/json", null, ALLOW},
                {"GET", "/images/localhost:5000/team/app:1.2/json", null, ALLOW},
                {"GET", "/images/app@" + DIGEST + "/json", null, ALLOW},
                {"GET", "/images/localhost:5000/app@" + DIGEST + "/json", null, ALLOW},
                {"GET", "/images/alpine/history", null, ALLOW},
                {"GET", "/images/team/app:1.2/history", null, ALLOW},
                {"GET", "/networks", null, ALLOW},
                {"GET", "/networks/bridge", null, ALLOW},
                {"GET", "/volumes", null, ALLOW},
                {"GET", "/volumes/data_1", null, ALLOW},

                // HEAD only on /_ping; methods are case-sensitive
                {"HEAD", "/version", null, DENY},
                {"HEAD", "/containers/json", null, DENY},
                {"HEAD", "/images/alpine/json", null, DENY},
                {"POST", "/_ping", null, DENY},
                {"OPTIONS", "/_ping", null, DENY},
                {"get", "/_ping", null, DENY},
                {"Get", "/_ping", null, DENY},
                {"head", "/_ping", null, DENY},
                {"get", "/containers/json", null, DENY},
                {"GET ", "/_ping", null, DENY},
                {"", "/_ping", null, DENY},

                // near misses of allowed paths
                {"GET", "/_pingx", null, DENY},
                {"GET", "/_ping/x", null, DENY},
                {"GET", "/x/_ping", null, DENY},
                {"GET", "/_PING", null, DENY},
                {"GET", "/", null, DENY},
                {"GET", "/containers", null, DENY},
                {"GET", "/images", null, DENY},
                {"GET", "/containers/a/b/json", null, DENY},
                {"GET", "/containers/-a/json", null, DENY},
                {"GET", "/containers/.a/json", null, DENY},
                {"GET", "/containers/a:b/json", null, DENY},
                {"GET", "/networks/a/b", null, DENY},
                {"GET", "/volumes/a/b", null, DENY},
                {"GET", "/images/-x/json", null, DENY},
                {"GET", "/images/x//json", null, DENY},

                // what must never pass
                {"POST", "/containers/create", null, DENY},
                {"POST", "/containers/abc/start", null, DENY},
                {"POST", "/containers/abc/kill", null, DENY},
                {"POST", "/containers/abc/exec", null, DENY},
                {"POST", "/exec/x/start", null, DENY},
                {"POST", "/containers/abc/attach", null, DENY},
                {"GET", "/containers/abc/attach/ws", null, DENY},
                {"GET", "/containers/abc/logs", "stdout=1", DENY},
                {"GET", "/containers/abc/stats", null, DENY},
                {"GET", "/containers/abc/top", null, DENY},
                {"GET", "/containers/abc/archive", "path=/etc", DENY},
                {"HEAD", "/containers/abc/archive", "path=/etc", DENY},
                {"PUT", "/containers/abc/archive", "path=/etc", DENY},
                {"GET", "/containers/abc/export", null, DENY},
                {"DELETE", "/containers/abc", null, DENY},
                {"POST", "/images/create", "fromImage=alpine&tag=latest", DENY},
                {"POST", "/images/load", null, DENY},
                {"GET", "/images/alpine/get", null, DENY},
                {"GET", "/images/get", "names=alpine", DENY},
                {"DELETE", "/images/x", null, DENY},
                {"POST", "/images/x/push", null, DENY},
                {"POST", "/build", null, DENY},
                {"POST", "/session", null, DENY},
                {"POST", "/swarm/init", null, DENY},
                {"GET", "/secrets", null, DENY},
                {"GET", "/plugins", null, DENY},
                {"POST", "/networks/create", null, DENY},
                {"POST", "/volumes/create", null, DENY},
                {"POST", "/containers/prune", null, DENY},

                // tag: the one constrained write
                {"POST", "/images/abc/tag", "repo=myteam/app&tag=v1", ALLOW},
                {"POST", "/images/abc/tag", "tag=v1&repo=myteam/app", ALLOW},
                {"POST", "/images/abc/tag", "repo=app", ALLOW},
                {"POST", "/images/abc/tag", "repo=app&tag=", ALLOW},
                {"POST", "/images/abc/tag", "repo=a.b-c_d/e&tag=1.2.3-rc_1", ALLOW},
                {"POST", "/images/abc/tag", "repo=localhost:5000/team/app&tag=1.2", ALLOW},
                {"POST", "/images/abc/tag", "repo=registry.example.com/team/app&tag=latest", ALLOW},
                {"POST", "/images/localhost:5000/team/app:1.2/tag", "repo=myteam/app&tag=v1", ALLOW},
                {"POST", "/images/abc/tag", "repo=myteam%2Fapp&tag=v1", ALLOW},
                {"POST", "/images/abc/tag", "repo=myteam/app&tag=v1&force=1", ALLOW},
                {"POST", "/images/abc/tag", "repo=app&tag=" + TAG_128, ALLOW},
                {"POST", "/images/abc/tag", "repo=app&tag=_x", ALLOW},
                {"POST", "/images/abc/tag", "&repo=app&&tag=v1&", ALLOW},
                {"POST", "/images/abc/tag", null, DENY},
                {"POST", "/images/abc/tag", "", DENY},
                {"POST", "/images/abc/tag", "tag=v1", DENY},
                {"POST", "/images/abc/tag", "repo=&tag=v1", DENY},
                {"POST", "/images/abc/tag", "repo=Traefik", DENY},
                {"POST", "/images/abc/tag", "repo=traefik:latest", DENY},
                {"POST", "/images/abc/tag", "repo=traefik%3Alatest", DENY},
                {"POST", "/images/abc/tag", "repo=app@" + DIGEST, DENY},
                {"POST", "/images/abc/tag", "repo=-app", DENY},
                {"POST", "/images/abc/tag", "repo=my..team/app", DENY},
                {"POST", "/images/abc/tag", "repo=myteam/app/", DENY},
                {"POST", "/images/abc/tag", "repo=app%20x", DENY},
                {"POST", "/images/abc/tag", "repo=app+x", DENY},
                {"POST", "/images/abc/tag", "repo=app%0a", DENY},
                {"POST", "/images/abc/tag", "repo=caf%C3%A9", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=-bad", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=.bad", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=a:b", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=a+b", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=" + TAG_128 + "a", DENY},
                {"POST", "/images/abc/tag", "repo=app&repo=app", DENY},
                {"POST", "/images/abc/tag", "repo=app&re%70o=traefik", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=v1&tag=latest", DENY},
                {"POST", "/images/abc/tag", "repo=app;tag=x", DENY},
                {"POST", "/images/abc/tag", "repo=app&x=;", DENY},
                {"POST", "/images/abc/tag", "repo=app&tag=%zz", DENY},
                {"POST", "/images/abc/tag", "repo=app%", DENY},
                {"POST", "/images/abc/tag", "repo=app%4", DENY},
                {"POST", "/images/abc/tag", "repo=app&x=%+1", DENY},
                {"POST", "/images/abc/tag", "repo=app&x=%ff", DENY},
                {"GET", "/images/abc/tag", "repo=app", DENY},
                {"PUT", "/images/abc/tag", "repo=app", DENY},
        }) {
            String method = (String) row[0];
            String path = (String) row[1];
            rows.add(Arguments.of(method, path, row[2], row[3]));
            rows.add(Arguments.of(method, "/v1.41" + path, row[2], row[3]));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} ?{2} allowed={3}")
    @MethodSource("requests")
    void decides(String method, String path, String query, boolean allowed) {
        Decision decision = BUILT_IN.decide(method, path, query);
        assertEquals(allowed, decision.allowed(), decision::reason);
    }

    static Stream<Arguments> versionPrefixes() {
        return Stream.of(
                Arguments.of("/v1.24/_ping", ALLOW),
                Arguments.of("/v1.41/_ping", ALLOW),
                Arguments.of("/v1.45/_ping", ALLOW),
                Arguments.of("/v10.0/_ping", ALLOW),
                Arguments.of("/v1.41/v1.41/_ping", DENY),
                Arguments.of("/v1.41/v1.40/containers/json", DENY),
                Arguments.of("/v1/_ping", DENY),
                Arguments.of("/V1.41/_ping", DENY),
                Arguments.of("/v1.41.0/_ping", DENY),
                Arguments.of("/v.41/_ping", DENY),
                Arguments.of("/v1./_ping", DENY),
                Arguments.of("/vx.y/_ping", DENY),
                Arguments.of("/v1.41_ping", DENY),
                Arguments.of("/v1.41", DENY),
                Arguments.of("/1.41/_ping", DENY),
                Arguments.of("/_ping/v1.41", DENY));
    }

    @ParameterizedTest(name = "GET {0} allowed={1}")
    @MethodSource("versionPrefixes")
    void matchesOneVersionPrefix(String path, boolean allowed) {
        assertEquals(allowed, BUILT_IN.decide("GET", path, Query.EMPTY).allowed());
    }

    @Test
    void shipsExactlyTheDocumentedRules() {
        assertEquals("built-in conf/rules", BUILT_IN.source());
        assertEquals(15, BUILT_IN.size());
        List<String> routes = BUILT_IN.rules().stream()
                .map(rule -> String.join(",", rule.methods().stream().sorted().toList()) + " " + rule.path())
                .toList();
        assertEquals(List.of(
                "GET,HEAD /_ping", "GET /version", "GET /info", "GET /events", "GET /system/df",
                "GET /containers/json", "GET /containers/{id}/json",
                "GET /images/json", "GET /images/{name}/json", "GET /images/{name}/history",
                "GET /networks", "GET /networks/{id}", "GET /volumes", "GET /volumes/{id}",
                "POST /images/{name}/tag"), routes);
    }

    @Test
    void allowNamesTheRule() {
        Decision decision = BUILT_IN.decide("GET", "/v1.41/_ping", Query.EMPTY);
        assertTrue(decision.allowed());
        Rule rule = decision.rule();
        assertNotNull(rule);
        assertEquals("GET,HEAD  /_ping", rule.text());
        assertEquals("built-in conf/rules", rule.source());
        assertTrue(rule.line() > 1);
        assertEquals("rule built-in conf/rules:" + rule.line(), decision.reason());
    }

    @Test
    void allowingDoesNotAllocateANewDecision() {
        assertSame(BUILT_IN.decide("GET", "/_ping", Query.EMPTY), BUILT_IN.decide("HEAD", "/v1.41/_ping", Query.EMPTY));
    }

    @Test
    void denyWithoutMatchNamesTheRequest() {
        Decision decision = BUILT_IN.decide("POST", "/containers/create", "name=x");
        assertFalse(decision.allowed());
        assertNull(decision.rule());
        assertEquals("no rule allows POST /containers/create", decision.reason());
    }

    @Test
    void denyByConstraintNamesParameterPatternAndRule() {
        Decision decision = BUILT_IN.decide("POST", "/images/abc/tag", "repo=Traefik&tag=latest");
        assertFalse(decision.allowed());
        Rule rule = decision.rule();
        assertNotNull(rule);
        assertEquals("/images/{name}/tag", rule.path());
        String repoPattern = rule.queryConstraints().get(0).substring("repo=~".length());
        assertEquals("query parameter 'repo' does not match " + repoPattern
                + " (rule built-in conf/rules:" + rule.line() + ")", decision.reason());
    }

    static Stream<Arguments> constraintDenials() {
        return Stream.of(
                Arguments.of("repo=app&tag=-x", "query parameter 'tag' does not match "),
                Arguments.of("repo=app&repo=app", "query parameter 'repo' appears more than once"),
                Arguments.of("repo=app&re%70o=traefik", "query parameter 'repo' appears more than once"),
                Arguments.of("repo=app;tag=x", "';' in query string"),
                Arguments.of("repo=app&tag=%zz", "malformed %-escape in query string"),
                Arguments.of("repo=app%", "malformed %-escape in query string"),
                Arguments.of("repo=app&x=%+1", "malformed %-escape in query string"),
                Arguments.of("repo=app%ff", "query string is not valid UTF-8"));
    }

    @ParameterizedTest(name = "?{0} -> {1}")
    @MethodSource("constraintDenials")
    void constraintDenialReasons(String query, String reasonStart) {
        Decision decision = BUILT_IN.decide("POST", "/images/abc/tag", query);
        assertFalse(decision.allowed());
        assertTrue(decision.reason().startsWith(reasonStart), decision.reason());
        assertTrue(decision.reason().endsWith(" (rule built-in conf/rules:" + decision.rule().line() + ")"),
                decision.reason());
    }

    @Test
    void worksOnCanonicalisedRequestPaths() throws BadPathException {
        assertTrue(BUILT_IN.decide("GET", CanonicalPath.of("/%5f%70ing"), Query.EMPTY).allowed());
        assertTrue(BUILT_IN.decide("GET",
                CanonicalPath.of("/v1.41/images/localhost%3A5000/team/app%3A1.2/json"), Query.EMPTY).allowed());
    }

    @Test
    void rejectsNullMethodOrPath() {
        assertThrows(NullPointerException.class, () -> BUILT_IN.decide(null, "/_ping", Query.EMPTY));
        assertThrows(NullPointerException.class, () -> BUILT_IN.decide("GET", null, Query.EMPTY));
    }

    @Test
    void loadsAFileAndNamesItInLocations(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules");
        Files.writeString(file, "# only ping\nGET /_ping\n");
        Profile policy = Profile.load(file);
        assertEquals(file.toString(), policy.source());
        assertEquals(1, policy.size());
        assertEquals("rule " + file + ":2", policy.decide("GET", "/_ping", Query.EMPTY).reason());
    }

    @Test
    void loadReportsTheFileInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules");
        Files.writeString(file, "GET /_ping\nGET /{nope}\n");
        RulesException e = assertThrows(RulesException.class, () -> Profile.load(file));
        assertEquals(file + ":2: unknown placeholder {nope} (known: {id} {name})", e.getMessage());
    }

    @Test
    void shippedFileIsTheBuiltIn() throws Exception {
        // Run from the project root by Maven: conf/rules is what the jar carries.
        Path shipped = Path.of("conf/rules");
        if (Files.exists(shipped)) {
            Profile policy = Profile.load(shipped);
            assertEquals(BUILT_IN.size(), policy.size());
            for (int i = 0; i < policy.size(); i++) {
                assertEquals(BUILT_IN.rules().get(i).text(), policy.rules().get(i).text());
            }
        }
    }
}
