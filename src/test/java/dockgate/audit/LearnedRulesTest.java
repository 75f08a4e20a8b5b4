package dockgate.audit;

import dockgate.api.EngineApi;
import dockgate.policy.Query;

import dockgate.policy.Decision;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules file audit mode learns: its text, and that as rules it allows exactly the traffic seen. */
class LearnedRulesTest {

    private record Call(String client, String method, String path, String query) {
    }

    private static final String CONTAINER = "3f2a9c1e0b7d4a5f8e6c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e";

    /** What a docker CLI and a tagging script did, in the order they did it. */
    private static final List<Call> TRAFFIC = List.of(
            new Call("127.0.0.1", "HEAD", "/_ping", null),
            new Call("127.0.0.1", "GET", "/v1.41/containers/json", "all=1"),
            new Call("127.0.0.1", "HEAD", "/_ping", null),
            new Call("127.0.0.1", "GET", "/v1.41/containers/" + CONTAINER + "/json", null),
            new Call("10.0.0.7", "GET", "/_ping", null),
            new Call("10.0.0.7", "GET", "/v1.41/images/localhost:5000/team/app:1.2/json", null),
            new Call("10.0.0.7", "POST", "/v1.41/images/localhost:5000/team/app:1.2/tag", "repo=team/app&tag=stable"),
            new Call("10.0.0.7", "POST", "/v1.41/images/abc/tag", "repo=team%2Fapp&tag=v1.2+rc"),
            new Call("10.0.0.7", "POST", "/v1.41/images/abc/tag", "repo=team/app"),
            new Call("127.0.0.1", "DELETE", "/v1.41/containers/" + CONTAINER, "force=1"),
            new Call("127.0.0.1", "GET", "/v1.41/containers/local/busybox:test/json", null));

    private static LearnedRules learn(List<Call> calls) {
        LearnedRules learned = new LearnedRules();
        Profile current = Profile.builtIn();
        for (Call call : calls) {
            learned.record(call.client(), call.method(), call.path(), call.query(),
                    !current.decide(call.method(), call.path(), call.query()).allowed(), false);
        }
        return learned;
    }

    private static void assertAllowsEvery(Profile policy, List<Call> calls) {
        for (Call call : calls) {
            Decision decision = policy.decide(call.method(), call.path(), call.query());
            assertTrue(decision.allowed(), call + ": " + decision.reason() + "\n" + policy.rules());
        }
    }

    @Test
    void theLearnedFileAfterKnownTraffic() {
        assertEquals("""
                # dockgate rules learned in audit mode (dockgate --mode audit): the smallest rules that allow
                # every call forwarded while it ran: 11 calls from 2 clients, 7 rules.
                # Use it with: dockgate --rules FILE. Review it first: it allows whatever the clients did.
                # Each rule follows a comment saying how many calls used it, from which clients, with an example.

                # 3 calls (GET 1, HEAD 2) from 127.0.0.1, 10.0.0.7; e.g. HEAD /_ping
                GET,HEAD  /_ping

                # 1 call from 127.0.0.1; e.g. GET /v1.41/containers/json
                GET       /containers/json

                # 1 call from 127.0.0.1; e.g. GET /v1.41/containers/%s/json
                GET       /containers/{id}/json

                # 1 call from 127.0.0.1, denied by the rules in use; e.g. DELETE /v1.41/containers/%s
                DELETE    /containers/{id}

                # 1 call from 10.0.0.7; e.g. GET /v1.41/images/localhost:5000/team/app:1.2/json
                GET       /images/{name}/json

                # 3 calls from 10.0.0.7, 1 denied by the rules in use; e.g. POST /v1.41/images/localhost:5000/team/app:1.2/tag
                # Tagging re-points tags: repo and tag are limited to the values seen.
                POST      /images/{name}/tag   repo=~team/app   tag=~(?:|stable|v1\\.2\\x{20}rc)

                # --- Calls that fit no route of the Docker Engine API 1.41, written as their literal path ---

                # 1 call from 127.0.0.1, denied by the rules in use; e.g. GET /v1.41/containers/local/busybox:test/json
                GET       /containers/local/busybox:test/json
                """.formatted(CONTAINER, CONTAINER), learn(TRAFFIC).text());
    }

    /** docker-py agrees on the API version through /version; the docker CLI then finds no /_ping rule. */
    @Test
    void aFileThatSawNoPingStillAllowsItWithGetAndHead() throws RulesException {
        LearnedRules learned = learn(List.of(
                new Call("127.0.0.1", "GET", "/version", null),
                new Call("127.0.0.1", "GET", "/v1.41/containers/json", null)));
        String text = learned.text();
        assertTrue(text.contains("""

                # No call used it; written all the same: docker clients call /_ping first, to agree on the API
                # version, and the docker CLI fails without it ("client version ... is too new").
                GET,HEAD  /_ping

                # 1 call from 127.0.0.1; e.g. GET /version
                GET       /version
                """), text);
        assertTrue(text.contains("2 calls from 1 client, 3 rules."), text);
        Profile policy = Profile.parse("learned", text);
        assertEquals(3, policy.size());
        assertEquals(3, learned.size());
        assertTrue(policy.decide("GET", "/v1.50/_ping", Query.EMPTY).allowed());
        assertTrue(policy.decide("HEAD", "/_ping", Query.EMPTY).allowed());
    }

    /**
     * A readiness probe (a CLI's HEAD /_ping, a health check's repeated GET) is learned as any call: counted,
     * its client named; and the other method is added, since the next client may ping the other way.
     */
    @Test
    void aReadinessProbesPingsAreLearnedAsAnyOtherCall() throws RulesException {
        List<Call> calls = List.of(
                new Call("10.0.0.9", "HEAD", "/_ping", null),
                new Call("10.0.0.9", "HEAD", "/v1.41/_ping", null),
                new Call("127.0.0.1", "HEAD", "/_ping", null),
                new Call("127.0.0.1", "GET", "/v1.41/info", null));
        String text = learn(calls).text();
        assertTrue(text.contains("""

                # 3 calls from 10.0.0.9, 127.0.0.1; e.g. HEAD /_ping
                # GET and HEAD both, whichever was seen: docker clients call /_ping first, to agree on the API version.
                GET,HEAD  /_ping
                """), text);
        assertTrue(text.contains("4 calls from 2 clients, 2 rules."), text);
        assertAllowsEvery(Profile.parse("learned", text), calls);
    }

    @Test
    void aCallRelayedAsARawStreamKeepsHijackOnItsRule() throws RulesException {
        LearnedRules learned = new LearnedRules();
        learned.record("127.0.0.1", "POST", "/v1.41/containers/" + CONTAINER + "/attach", "stream=1&stdout=1", false, true);
        learned.record("127.0.0.1", "POST", "/v1.41/containers/" + CONTAINER + "/attach", "logs=1", false, false);
        learned.record("127.0.0.1", "POST", "/v1.41/exec/abc/start", null, true, true);
        learned.record("127.0.0.1", "POST", "/v1.41/containers/" + CONTAINER + "/wait", null, true, false);
        String text = learned.text();
        assertTrue(text.contains("""
                # Relayed as a raw stream (Upgrade: tcp), which the rule allows with the word hijack.
                POST      /containers/{id}/attach   hijack
                """), text);
        assertTrue(text.contains("\nPOST      /exec/{id}/start   checks=learned   hijack\n"), text);
        assertTrue(text.contains("\nPOST      /containers/{id}/wait\n"), text);
        Profile policy = Profile.parse("learned", text);
        assertTrue(policy.decide("POST", "/v1.41/containers/other/attach", Query.EMPTY).rule().hijack());
        assertTrue(policy.decide("POST", "/v1.41/exec/other/start", Query.EMPTY).rule().hijack());
        assertFalse(policy.decide("POST", "/v1.41/containers/other/wait", Query.EMPTY).rule().hijack());
    }

    @Test
    void aRefusedUpgradeIsListedWithWhyAndHowToAllowIt() throws RulesException {
        LearnedRules learned = new LearnedRules();
        learned.recordRefusedUpgrade("POST", "/v1.41/containers/" + CONTAINER + "/attach",
                "no rule allows POST /v1.41/containers/" + CONTAINER + "/attach");
        learned.recordRefusedUpgrade("POST", "/v1.41/containers/other/attach", "no rule allows it again");
        learned.recordRefusedUpgrade("POST", "/v1.41/containers/" + CONTAINER + "/start", "rule rules:3 allows it without the word hijack");
        String text = learned.text();
        assertTrue(text.endsWith("""

                # Connection upgrades refused even in audit mode, which relays one only where the rules in use
                # allow it with the word hijack (see docs/attach-exec.md); they are not in the rules above:
                #   2 calls: POST /containers/{id}/attach, e.g. POST /v1.41/containers/%s/attach: no rule allows POST /v1.41/containers/%s/attach
                #     to allow it: POST /containers/{id}/attach   hijack
                #   1 call: POST /containers/{id}/start, e.g. POST /v1.41/containers/%s/start: rule rules:3 allows it without the word hijack
                """.formatted(CONTAINER, CONTAINER, CONTAINER)), text);
        assertEquals(1, Profile.parse("learned", text).size(), "only /_ping: the refused upgrades are comments");
    }

    @Test
    void asRulesItAllowsEveryCallSeenAndNotItsNeighbours() throws RulesException {
        Profile learned = Profile.parse("learned", learn(TRAFFIC).text());
        assertAllowsEvery(learned, TRAFFIC);
        List<Call> neighbours = List.of(
                new Call("127.0.0.1", "POST", "/v1.41/containers/create", null),
                new Call("127.0.0.1", "POST", "/v1.41/containers/" + CONTAINER + "/start", null),
                new Call("127.0.0.1", "GET", "/v1.41/containers/" + CONTAINER + "/logs", null),
                new Call("127.0.0.1", "PUT", "/v1.41/containers/json", null),
                new Call("127.0.0.1", "GET", "/v1.41/images/json", null),
                new Call("127.0.0.1", "GET", "/v1.41/containers/other/image:1/json", null),
                // tagging to a value not seen, or twice over, stays refused
                new Call("10.0.0.7", "POST", "/v1.41/images/abc/tag", "repo=traefik&tag=latest"),
                new Call("10.0.0.7", "POST", "/v1.41/images/abc/tag", "repo=team/app&tag=latest"),
                new Call("10.0.0.7", "POST", "/v1.41/images/abc/tag", "repo=team/app&repo=traefik"));
        for (Call call : neighbours) {
            assertFalse(learned.decide(call.method(), call.path(), call.query()).allowed(), call.toString());
        }
        // The same routes with other ids and names are the point of generalising.
        assertTrue(learned.decide("GET", "/v1.41/containers/other_one/json", Query.EMPTY).allowed());
        assertTrue(learned.decide("GET", "/images/alpine@sha256:0123456789abcdef/json", Query.EMPTY).allowed());
    }

    @Test
    void aTagCallWhoseQueryCannotBeReadLeavesTaggingOpenAndSaysSo() throws RulesException {
        List<Call> calls = List.of(
                new Call("127.0.0.1", "POST", "/images/abc/tag", "repo=a&tag=b"),
                new Call("127.0.0.1", "POST", "/images/abc/tag", "repo=a&repo=b"));
        String text = learn(calls).text();
        assertTrue(text.contains("""
                # REVIEW: tagging re-points tags, but repo and tag are left open: the calls included a call whose \
                query the constraints cannot read (query parameter 'repo' appears more than once).
                POST      /images/{name}/tag
                """), text);
        assertAllowsEvery(Profile.parse("learned", text), calls);
    }

    @Test
    void callsNoRuleCanAllowAreListedAsCommentsAndTheFileStillLoads() throws RulesException {
        List<Call> calls = List.of(
                new Call("127.0.0.1", "get", "/_ping", null),
                new Call("127.0.0.1", "GET", "/", null),
                new Call("127.0.0.1", "GET", "/v1.41/v1.41/_ping", null),
                new Call("127.0.0.1", "GET", "/v1.41/v1.41/_ping", null),
                new Call("127.0.0.1", "PROPFIND", "/v1.41/nothing", null));
        LearnedRules learned = learn(calls);
        String text = learned.text();
        assertTrue(text.endsWith("""
                # Calls refused even in audit mode, since no rule can allow them (a method other than
                # GET HEAD POST PUT DELETE PATCH OPTIONS, the root path, a doubled version prefix):
                #   1 call: GET /
                #   2 calls: GET /v1.41/v1.41/_ping
                #   1 call: PROPFIND /v1.41/nothing
                #   1 call: get /_ping
                """), text);
        // Only the /_ping rule every learned file has.
        assertEquals(1, Profile.parse("learned", text).size());
        assertEquals(1, learned.size());
    }

    @Test
    void aMethodNoRuleCanNameOnAPathAlreadyLearnedIsNotMergedIntoItsRule() throws RulesException {
        List<Call> calls = List.of(
                new Call("127.0.0.1", "GET", "/v1.41/nothing", null),
                new Call("127.0.0.1", "PROPFIND", "/v1.41/nothing", null));
        String text = learn(calls).text();
        assertTrue(text.contains("\nGET       /nothing\n"), text);
        assertTrue(text.endsWith("#   1 call: PROPFIND /v1.41/nothing\n"), text);
        assertEquals(2, Profile.parse("learned", text).size(), "/_ping and /nothing");
    }

    @Test
    void tagValuesAreQuotedSoThatOnlyTheExactValueMatches() {
        assertEquals("team/app", LearnedRules.quote("team/app"));
        assertEquals("v1\\.2", LearnedRules.quote("v1.2"));
        assertEquals("a\\.\\*\\|b\\(\\)\\#\\x{20}\\x{9}\\x{e9}", LearnedRules.quote("a.*|b()# \t\u00e9"));
        assertEquals("(?:|a\\.b|c)", LearnedRules.anyOf(new java.util.TreeSet<>(Set.of("c", "a.b", ""))));
        assertEquals("", LearnedRules.anyOf(Set.of("")));
    }

    @Test
    void literalPathsAreBounded() throws RulesException {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < LearnedRules.MAX_LITERAL_PATHS + 5; i++) {
            calls.add(new Call("127.0.0.1", "GET", "/scan/" + i, null));
        }
        LearnedRules learned = learn(calls);
        assertEquals(LearnedRules.MAX_LITERAL_PATHS + 1, learned.size(), "the literal paths kept, and /_ping");
        assertTrue(learned.text().contains("\n# 5 more calls to paths that fit no route were not written: more than 1000"
                + " such paths were seen.\n"), learned.text());
        assertEquals(LearnedRules.MAX_LITERAL_PATHS + 1, Profile.parse("learned", learned.text()).size());
    }

    /** Random calls on every route of the table, with random ids, names, prefixes and tag values. */
    @Test
    void anyTrafficOnTheApiIsAllowedByWhatWasLearnedFromIt() throws RulesException {
        Profile table = EngineApi.routes().asProfile();
        List<String> ids = List.of("abc", "3f2a9c1e0b7d", "web_1.x-y", "A9");
        List<String> names = List.of("alpine", "localhost:5000/team/app:1.2", "app@sha256:0123abcd", "a/b/c:d", "x");
        List<String> queries = List.of("", "repo=team/app", "repo=x&tag=y.1", "tag=%20&repo=a%2Fb", "force=1&repo=z");
        Random random = new Random(20261127);
        for (int round = 0; round < 200; round++) {
            List<Call> calls = new ArrayList<>();
            int size = 1 + random.nextInt(30);
            for (int i = 0; i < size; i++) {
                Rule rule = table.rules().get(random.nextInt(table.size()));
                List<String> methods = List.copyOf(rule.methods());
                String path = (random.nextBoolean() ? "/v1.41" : "") + rule.path()
                        .replace("{id}", ids.get(random.nextInt(ids.size())))
                        .replace("{name}", names.get(random.nextInt(names.size())));
                String query = queries.get(random.nextInt(queries.size()));
                if (random.nextInt(10) == 0) {
                    path = path + "/extra";
                }
                calls.add(new Call("127.0.0." + random.nextInt(3), methods.get(random.nextInt(methods.size())), path,
                        query.isEmpty() ? null : query));
            }
            LearnedRules learned = learn(calls);
            Profile policy = Profile.parse("learned", learned.text());
            assertAllowsEvery(policy, calls);
            assertTrue(policy.size() <= calls.size() + 1, "at most a rule per call, and /_ping");
            assertTrue(policy.decide("GET", "/_ping", Query.EMPTY).allowed() && policy.decide("HEAD", "/_ping", Query.EMPTY).allowed());
        }
    }
}
