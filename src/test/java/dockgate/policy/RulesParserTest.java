package dockgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesParserTest {

    /** Every bad line is put on line 4, after a comment, a good rule and a blank line. */
    private static final String PREAMBLE = "# test rules\nGET /_ping\n\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("FOO /x", "unknown method 'FOO' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)"),
                Arguments.of("get /x", "unknown method 'get' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)"),
                Arguments.of("GET,TRACE /x", "unknown method 'TRACE' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)"),
                Arguments.of("CONNECT /x", "unknown method 'CONNECT' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)"),
                Arguments.of("GET,,HEAD /x", "empty method in 'GET,,HEAD' (write GET,HEAD without spaces)"),
                Arguments.of("GET, HEAD /x", "empty method in 'GET,' (write GET,HEAD without spaces)"),
                Arguments.of("GET,GET /x", "method GET listed twice"),
                Arguments.of("GET /containers/{id}/json reveal=secrets", "unknown 'reveal=secrets' (expected reveal=env or redact=mounts)"),
                Arguments.of("POST /containers/{id}/json reveal=env", "'reveal=env' applies to the answers of GET, not to POST"),
                Arguments.of("GET", "missing path after GET"),
                Arguments.of("GET,HEAD   # path forgotten", "missing path after GET,HEAD"),
                Arguments.of("/containers/json", "missing methods before path /containers/json"),
                Arguments.of("GET containers/json", "path must start with '/': containers/json"),
                Arguments.of("GET {id}/json", "path must start with '/': {id}/json"),
                Arguments.of("GET /containers/{foo}/json", "unknown placeholder {foo} (known: {id} {name})"),
                Arguments.of("GET /containers/{ID}/json", "unknown placeholder {ID} (known: {id} {name})"),
                Arguments.of("GET /containers/{}/json", "unknown placeholder {} (known: {id} {name})"),
                Arguments.of("GET /containers/x{id}/json", "a placeholder must be a whole segment: x{id}"),
                Arguments.of("GET /containers/{id/json", "a placeholder must be a whole segment: {id"),
                Arguments.of("GET /containers/{{id}}/json", "a placeholder must be a whole segment: {{id}}"),
                Arguments.of("GET /containers//json", "empty segment in path (\"//\" or trailing '/'): /containers//json"),
                Arguments.of("GET /_ping/", "empty segment in path (\"//\" or trailing '/'): /_ping/"),
                Arguments.of("GET /", "empty segment in path (\"//\" or trailing '/'): /"),
                Arguments.of("GET /a/../b", "'..' segment in path: /a/../b"),
                Arguments.of("GET /./b", "'.' segment in path: /./b"),
                Arguments.of("GET /v1.41/_ping", "path must not start with a version prefix"
                        + " (every rule already matches with and without /vX.Y): /v1.41/_ping"),
                Arguments.of("GET /a;b", "path segment 'a;b' has a character that never appears in a canonical path"
                        + " (allowed: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)"),
                Arguments.of("GET /a%2fb", "path segment 'a%2fb' has a character that never appears in a canonical path"
                        + " (allowed: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)"),
                Arguments.of("GET /a\\b", "path segment 'a\\b' has a character that never appears in a canonical path"
                        + " (allowed: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)"),
                Arguments.of("GET /_ping garbage", "unexpected 'garbage' after the path"
                        + " (expected a query constraint NAME=~REGEX, or a comment after whitespace and '#')"),
                Arguments.of("GET /_ping repo=^x$", "unexpected 'repo=^x$' after the path"
                        + " (expected a query constraint NAME=~REGEX, or a comment after whitespace and '#')"),
                Arguments.of("GET /_ping =~x", "unexpected '=~x' after the path"
                        + " (expected a query constraint NAME=~REGEX, or a comment after whitespace and '#')"),
                Arguments.of("GET /_ping re$po=~x", "unexpected 're$po=~x' after the path"
                        + " (expected a query constraint NAME=~REGEX, or a comment after whitespace and '#')"),
                Arguments.of("GET /_ping repo=~[a-z", "bad regex for query parameter 'repo':"
                        + " Unclosed character class near index 3 of [a-z"),
                Arguments.of("GET /_ping repo=~(x", "bad regex for query parameter 'repo':"
                        + " Unclosed group near index 2 of (x"),
                Arguments.of("GET /_ping repo=~x repo=~y", "query parameter 'repo' constrained twice"),
                Arguments.of("GET /_ping hijack", "'hijack' is only allowed on POST /containers/{id}/attach"
                        + " and POST /exec/{id}/start, not on GET /_ping"),
                Arguments.of("POST,GET /exec/{id}/start hijack", "'hijack' is only allowed on POST"
                        + " /containers/{id}/attach and POST /exec/{id}/start, not on POST,GET /exec/{id}/start"),
                Arguments.of("POST /containers/{id}/start hijack", "'hijack' is only allowed on POST"
                        + " /containers/{id}/attach and POST /exec/{id}/start, not on POST /containers/{id}/start"),
                Arguments.of("POST /session hijack", "'hijack' is only allowed on POST"
                        + " /containers/{id}/attach and POST /exec/{id}/start, not on POST /session"),
                Arguments.of("POST /exec/{id}/start hijack hijack", "'hijack' written twice"));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("errors")
    void reportsFileLineAndProblem(String badLine, String problem) {
        RulesException e = assertThrows(RulesException.class,
                () -> Profile.parse("my/rules", PREAMBLE + badLine + "\nGET /version\n"));
        assertEquals("my/rules:4: " + problem, e.getMessage());
        assertEquals("my/rules", e.file());
        assertEquals(4, e.line());
    }

    @Test
    void countsLinesAcrossCommentsBlankLinesAndCrLf() {
        String text = "# header\r\n\r\n   \r\n\t# indented comment\r\nGET /_ping # trailing\r\nGET /{bad}\r\n";
        RulesException e = assertThrows(RulesException.class, () -> Profile.parse("crlf", text));
        assertEquals(6, e.line());
        assertEquals("crlf:6: unknown placeholder {bad} (known: {id} {name})", e.getMessage());
    }

    @Test
    void ignoresCommentsAndBlankLines() throws RulesException {
        Profile policy = Profile.parse("t", """
                # a comment

                \t
                GET,HEAD\t/_ping   # trailing comment
                   GET   /containers/{id}/json
                """);
        assertEquals(2, policy.size());
        Rule ping = policy.rules().get(0);
        assertEquals(4, ping.line());
        assertEquals("GET,HEAD\t/_ping", ping.text());
        assertEquals(Set.of("GET", "HEAD"), ping.methods());
        assertEquals("/_ping", ping.path());
        assertEquals(5, policy.rules().get(1).line());
        assertEquals("GET   /containers/{id}/json", policy.rules().get(1).text());
    }

    @Test
    void hashInsideATokenIsNotAComment() throws RulesException {
        Profile policy = Profile.parse("t", "GET /x tag=~a#b   # real comment\n");
        assertEquals(List.of("tag=~a#b"), policy.rules().get(0).queryConstraints());
        assertTrue(policy.decide("GET", "/x", "tag=a%23b").allowed());
        assertFalse(policy.decide("GET", "/x", "tag=a").allowed());
    }

    @Test
    void emptyFileDeniesEverything() throws RulesException {
        for (String text : List.of("", "\n\n", "# nothing allowed\n")) {
            Profile policy = Profile.parse("empty", text);
            assertEquals(0, policy.size());
            Decision decision = policy.decide("GET", "/_ping", Query.EMPTY);
            assertFalse(decision.allowed());
            assertEquals("no rule allows GET /_ping", decision.reason());
        }
    }

    @Test
    void customRuleWithConstraints() throws RulesException {
        Profile policy = Profile.parse("custom", """
                # Only our CI may tag, and only its own repositories.
                POST /images/{name}/tag   repo=~^myteam/[a-z0-9._-]+$   tag=~v[0-9]+
                """);
        Rule rule = policy.rules().get(0);
        assertEquals(2, rule.line());
        assertEquals(List.of("repo=~^myteam/[a-z0-9._-]+$", "tag=~v[0-9]+"), rule.queryConstraints());

        assertTrue(policy.decide("POST", "/v1.41/images/abc/tag", "repo=myteam/app&tag=v3").allowed());
        assertTrue(policy.decide("POST", "/images/abc/tag", "tag=v3&repo=myteam%2Fapp").allowed());

        Decision wrongRepo = policy.decide("POST", "/images/abc/tag", "repo=traefik&tag=v3");
        assertFalse(wrongRepo.allowed());
        assertEquals("query parameter 'repo' does not match ^myteam/[a-z0-9._-]+$ (rule custom:2)", wrongRepo.reason());

        // Full match: a prefix of the value matching is not enough.
        Decision tagPrefix = policy.decide("POST", "/images/abc/tag", "repo=myteam/app&tag=v3x");
        assertEquals("query parameter 'tag' does not match v[0-9]+ (rule custom:2)", tagPrefix.reason());

        Decision missingTag = policy.decide("POST", "/images/abc/tag", "repo=myteam/app");
        assertEquals("query parameter 'tag' does not match v[0-9]+ (rule custom:2)", missingTag.reason());
    }

    @Test
    void emptyRegexDemandsAnAbsentOrEmptyParameter() throws RulesException {
        Profile policy = Profile.parse("t", "POST /images/create fromSrc=~\n");
        assertTrue(policy.decide("POST", "/images/create", "fromImage=x").allowed());
        assertTrue(policy.decide("POST", "/images/create", "fromSrc=").allowed());
        assertFalse(policy.decide("POST", "/images/create", "fromSrc=-").allowed());
    }

    @Test
    void firstMatchingRuleDecidesEvenWhenItsConstraintFails() throws RulesException {
        Profile policy = Profile.parse("t", """
                POST /images/{name}/tag   repo=~myteam/.+
                POST /images/{name}/tag
                GET  /_ping
                """);
        Decision decision = policy.decide("POST", "/images/x/tag", "repo=other");
        assertFalse(decision.allowed());
        assertEquals(1, decision.rule().line());
        assertEquals(1, policy.decide("POST", "/images/x/tag", "repo=myteam/x").rule().line());
    }

    @Test
    void methodMismatchKeepsSearching() throws RulesException {
        Profile policy = Profile.parse("t", """
                GET  /containers/{id}/json
                HEAD /containers/{id}/json
                """);
        Decision decision = policy.decide("HEAD", "/containers/x/json", Query.EMPTY);
        assertTrue(decision.allowed());
        assertEquals(2, decision.rule().line());
        assertEquals("rule t:2", decision.reason());
    }

    @Test
    void placeholdersMatchTheirOwnShapes() throws RulesException {
        Profile policy = Profile.parse("t", """
                GET /a/{id}/x
                GET /b/{name}/x
                """);
        assertTrue(policy.decide("GET", "/a/abc.def-1_2/x", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/a/abc/def/x", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/a/abc:1/x", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/a/_abc/x", Query.EMPTY).allowed());
        assertTrue(policy.decide("GET", "/b/localhost:5000/team/app:1.2/x", Query.EMPTY).allowed());
        assertTrue(policy.decide("GET", "/b/app@sha256:abc/x", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/b/team/_app/x", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/b/x", Query.EMPTY).allowed());
    }

    @Test
    void onlyAFullVersionLooksLikeAVersionPrefix() throws RulesException {
        Profile policy = Profile.parse("t", "GET /v2\nGET /version\nGET /vx.y/z\n");
        assertEquals(3, policy.size());
        assertTrue(policy.decide("GET", "/v1.41/v2", Query.EMPTY).allowed());
    }

    @Test
    void literalSegmentsAreNotRegexes() throws RulesException {
        Profile policy = Profile.parse("t", "GET /a.b/c+d/(e)*\n");
        assertTrue(policy.decide("GET", "/a.b/c+d/(e)*", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/aXb/c+d/(e)*", Query.EMPTY).allowed());
        assertFalse(policy.decide("GET", "/a.b/cd/e", Query.EMPTY).allowed());
    }

    @Test
    void noRuleMatchedMeansNoRule() throws RulesException {
        Decision decision = Profile.parse("t", "GET /_ping\n").decide("DELETE", "/_ping", Query.EMPTY);
        assertNull(decision.rule());
        assertEquals("no rule allows DELETE /_ping", decision.reason());
    }

    @Test
    void hijackMarksOnlyItsRule() throws RulesException {
        Profile policy = Profile.parse("r", "POST /exec/{id}/start hijack\n"
                + "POST /containers/{id}/attach   stream=~1   hijack   # comment\nPOST /containers/{id}/wait\n");
        assertTrue(policy.decide("POST", "/v1.41/exec/e1/start", Query.EMPTY).rule().hijack());
        Decision attach = policy.decide("POST", "/containers/c1/attach", "stream=1");
        assertTrue(attach.allowed() && attach.rule().hijack());
        assertFalse(policy.decide("POST", "/containers/c1/attach", "stream=0").allowed());
        assertFalse(policy.decide("POST", "/containers/c1/wait", Query.EMPTY).rule().hijack());
    }
}
