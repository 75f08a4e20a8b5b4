package dockgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.api.EngineApi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Matching a call against only the rules of its first segment decides exactly as trying every rule in file
 * order does: for the route table, the shipped rules, and rules whose paths start with a placeholder, on the
 * paths of their own templates and on paths put together from their segments at random.
 */
class RulesByFirstSegmentTest {

    /** Placeholder-first rules before, between and after literal ones, and a literal no other rule has. */
    private static final String MIXED = """
            GET /containers/json
            GET,POST /{name}/json
            GET /_ping
            POST /{id}
            GET,DELETE /containers/{id}
            GET /{id}/logs
            GET /images/{name}/json
            PUT /v1/x
            """;

    @Test
    void theIndexPicksTheRuleEveryRuleInTurnWouldPick() throws Exception {
        for (Profile profile : List.of(EngineApi.routes().asProfile(), Profile.builtIn(), Profile.parse("mixed", MIXED))) {
            int matched = 0;
            for (String path : paths(profile)) {
                for (String method : Rule.METHODS) {
                    Rule expected = scan(profile, method, path);
                    assertEquals(expected, profile.decide(method, path, Query.EMPTY).rule(),
                            profile.name() + ": " + method + " " + path);
                    matched += expected == null ? 0 : 1;
                }
            }
            // The paths reach the rules, so the comparison is not between two nulls.
            assertTrue(matched > profile.size(), profile.name() + " matched only " + matched);
        }
    }

    @Test
    void aVersionPrefixIsWhatTheTemplatesRegexTakesForOne() {
        java.util.regex.Pattern version = java.util.regex.Pattern.compile("v[0-9]+\\.[0-9]+");
        for (String segment : List.of("v1.41", "v0.0", "v10.123", "v1", "v1.", "v.1", "v1.4.1", "v1.4a", "va.1", "V1.41",
                "vv1.41", "", "v", ".", "v1..41", "v\u0661.41", "1.41", "v1.41 ", "containers")) {
            assertEquals(version.matcher(segment).matches(), PathTemplate.isVersion(segment), segment);
        }
    }

    private static Rule scan(Profile profile, String method, String path) {
        for (Rule rule : profile.rules()) {
            if (rule.matches(method, path)) {
                return rule;
            }
        }
        return null;
    }

    private static Set<String> paths(Profile profile) {
        List<String> segments = new ArrayList<>(List.of("v1.41", "v1.40", "v1", "json", "abc", "a.b", "x"));
        Set<String> paths = new LinkedHashSet<>(List.of("/", "/v1.41", "/v1.41/", "/v1.41/v1.40/_ping", "/x/y/z"));
        for (Rule rule : profile.rules()) {
            for (String value : List.of("abc", "a/b", "v1.41", "json")) {
                String path = rule.path().replace("{id}", value.replace('/', '-')).replace("{name}", value);
                paths.add(path);
                paths.add("/v1.41" + path);
            }
            for (String segment : rule.path().substring(1).split("/")) {
                if (!segment.startsWith("{")) {
                    segments.add(segment);
                }
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            StringBuilder path = new StringBuilder();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                path.append('/').append(segments.get(random.nextInt(segments.size())));
            }
            paths.add(path.toString());
        }
        return paths;
    }
}
