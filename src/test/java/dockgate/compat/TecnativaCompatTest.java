package dockgate.compat;

import dockgate.policy.CanonicalPath;
import dockgate.policy.CompatException;
import dockgate.policy.Profile;
import dockgate.policy.Query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules --compat tecnativa builds from docker-socket-proxy variables, judged on representative calls. */
class TecnativaCompatTest {

    /** "A=1 B=0" into a map; "-" for none. */
    private static Map<String, String> env(String spec) {
        Map<String, String> env = new HashMap<>();
        if (!spec.equals("-")) {
            for (String pair : spec.split(" ")) {
                String[] parts = pair.split("=", 2);
                env.put(parts[0], parts[1]);
            }
        }
        return env;
    }

    private static boolean allowed(String envSpec, String method, String path, String query) throws Exception {
        Profile policy = TecnativaCompat.fromEnvironment(env(envSpec)).profile();
        return policy.decide(method, CanonicalPath.of(path), query).allowed();
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // defaults: EVENTS, PING, VERSION on; read-only
            "-                                   | GET    | /_ping                           | allow",
            "-                                   | HEAD   | /v1.41/_ping                     | allow",
            "-                                   | GET    | /v1.41/version                   | allow",
            "-                                   | GET    | /events                          | allow",
            "-                                   | GET    | /containers/json                 | deny",
            "-                                   | GET    | /info                            | deny",
            "-                                   | POST   | /_ping                           | deny",
            "PING=0 EVENTS=0 VERSION=0           | GET    | /_ping                           | deny",
            "PING=0 EVENTS=0 VERSION=0           | GET    | /events                          | deny",
            // a section opens its reads; writes need POST too
            "CONTAINERS=1                        | GET    | /v1.41/containers/json           | allow",
            "CONTAINERS=1                        | GET    | /containers/abc/json             | allow",
            "CONTAINERS=1                        | HEAD   | /containers/abc/json             | allow",
            "CONTAINERS=1                        | POST   | /containers/create               | deny",
            "CONTAINERS=1                        | POST   | /containers/abc/start            | deny",
            "CONTAINERS=1 POST=1                 | POST   | /containers/create               | allow",
            "CONTAINERS=1 POST=1                 | POST   | /containers/abc/start            | allow",
            "CONTAINERS=1 POST=1                 | DELETE | /containers/abc                  | deny",
            "CONTAINERS=1 DELETE=1               | DELETE | /containers/abc                  | allow",
            "CONTAINERS=1 DELETE=1               | POST   | /containers/create               | deny",
            "POST=1                              | POST   | /containers/create               | deny",
            "IMAGES=1 POST=1                     | POST   | /containers/create               | deny",
            // sections are separate
            "IMAGES=1                            | GET    | /images/localhost:5000/team/app:1.2/json | allow",
            "IMAGES=1                            | GET    | /containers/json                 | deny",
            "NETWORKS=1 VOLUMES=1 INFO=1 SYSTEM=1 | GET   | /networks                        | allow",
            "NETWORKS=1 VOLUMES=1 INFO=1 SYSTEM=1 | GET   | /volumes/v1                      | allow",
            "NETWORKS=1 VOLUMES=1 INFO=1 SYSTEM=1 | GET   | /system/df                       | allow",
            "NETWORKS=1 VOLUMES=1 INFO=1 SYSTEM=1 | GET   | /info                            | allow",
            "NETWORKS=1 VOLUMES=1 INFO=1 SYSTEM=1 | GET   | /secrets                         | deny",
            "VOLUMES=1 PUT=1                     | PUT    | /volumes/v1                      | allow",
            "VOLUMES=1 PATCH=1                   | PUT    | /volumes/v1                      | deny",
            // container actions open without CONTAINERS, but not past the method gate
            "ALLOW_START=1 POST=1                | POST   | /containers/abc/start            | allow",
            "ALLOW_START=1 POST=1                | POST   | /containers/abc/stop             | deny",
            "ALLOW_START=1 POST=1                | GET    | /containers/json                 | deny",
            "ALLOW_START=1                       | POST   | /containers/abc/start            | deny",
            "ALLOW_STOP=1 POST=1                 | POST   | /containers/abc/stop             | allow",
            "ALLOW_RESTARTS=1 POST=1             | POST   | /containers/abc/restart          | allow",
            "ALLOW_RESTARTS=1 POST=1             | POST   | /containers/abc/stop             | allow",
            "ALLOW_RESTARTS=1 POST=1             | POST   | /containers/abc/kill             | deny",
            "ALLOW_RESTARTS=1 ALLOW_KILL=1 POST=1 | POST  | /containers/abc/kill             | allow",
            "ALLOW_PAUSE=1 ALLOW_UNPAUSE=1 POST=1 | POST  | /containers/abc/pause            | allow",
            "ALLOW_PAUSE=1 ALLOW_UNPAUSE=1 POST=1 | POST  | /containers/abc/unpause          | allow",
            // gated container routes stay shut with CONTAINERS=1 until their own variable is 1
            "CONTAINERS=1 POST=1                 | POST   | /containers/abc/kill             | deny",
            "CONTAINERS=1 POST=1 ALLOW_KILL=1    | POST   | /containers/abc/kill             | allow",
            "CONTAINERS=1 POST=1                 | POST   | /containers/abc/exec             | deny",
            "CONTAINERS=1 POST=1 ALLOW_EXEC=1    | POST   | /containers/abc/exec             | allow",
            "ALLOW_EXEC=1 POST=1                 | POST   | /containers/abc/exec             | deny",
            "CONTAINERS=1                        | GET    | /containers/abc/logs             | deny",
            "CONTAINERS=1 ALLOW_LOGS=1           | GET    | /containers/abc/logs             | allow",
            "CONTAINERS=1                        | GET    | /containers/abc/export           | deny",
            "CONTAINERS=1 ALLOW_EXPORT=1         | GET    | /containers/abc/export           | allow",
            "CONTAINERS=1 PUT=1                  | PUT    | /containers/abc/archive          | deny",
            "CONTAINERS=1 PUT=1 ALLOW_ARCHIVE=1  | PUT    | /containers/abc/archive          | allow",
            "CONTAINERS=1 ALLOW_ARCHIVE=1        | HEAD   | /containers/abc/archive          | allow",
            "CONTAINERS=1 POST=1                 | POST   | /containers/abc/attach           | deny",
            "CONTAINERS=1 POST=1 ALLOW_ATTACH=1  | POST   | /containers/abc/attach           | allow",
            "EXEC=1 POST=1                       | POST   | /exec/e1/start                   | allow",
            "EXEC=1                              | GET    | /exec/e1/json                    | allow",
            "EXEC=1                              | POST   | /exec/e1/start                   | deny",
            // only real routes, with their real methods
            "CONTAINERS=1 POST=1                 | GET    | /containers/create               | deny",
            "CONTAINERS=1                        | GET    | /containers/abc/nonsense         | deny",
            "CONTAINERS=1                        | OPTIONS | /containers/json                | deny",
    })
    void decisions(String envSpec, String method, String path, String expected) throws Exception {
        assertEquals(expected.equals("allow"), allowed(envSpec.trim(), method, path, null));
    }

    @Test
    void execStartAndAttachMayHijackWhereTheyAreOpen() throws Exception {
        Profile exec = TecnativaCompat.fromEnvironment(Map.of("EXEC", "1", "POST", "1")).profile();
        assertTrue(exec.decide("POST", "/v1.41/exec/e1/start", Query.EMPTY).rule().hijack());
        Profile attach = TecnativaCompat.fromEnvironment(
                Map.of("CONTAINERS", "1", "ALLOW_ATTACH", "1", "POST", "1")).profile();
        assertTrue(attach.decide("POST", "/containers/c1/attach", Query.EMPTY).rule().hijack());
        assertEquals(false, attach.decide("POST", "/containers/c1/start", Query.EMPTY).rule().hijack());
    }

    @Test
    void tagKeepsItsQueryConstraints() throws Exception {
        assertTrue(allowed("IMAGES=1 POST=1", "POST", "/images/abc/tag", "repo=team/app&tag=1.0"));
        assertEquals(false, allowed("IMAGES=1 POST=1", "POST", "/images/abc/tag", "repo=team/app&repo=traefik"));
        assertEquals(false, allowed("IMAGES=1 POST=1", "POST", "/images/abc/tag", "repo=Team%2FApp"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST=yes           | --compat tecnativa: POST must be 1 or 0, as docker-socket-proxy documents, got 'yes'",
            "CONTAINERS=true    | --compat tecnativa: CONTAINERS must be 1 or 0, as docker-socket-proxy documents, got 'true'",
            "ALLOW_EXEC=2       | --compat tecnativa: ALLOW_EXEC must be 1 or 0, as docker-socket-proxy documents, got '2'",
            "EVENTS=            | --compat tecnativa: EVENTS must be 1 or 0, as docker-socket-proxy documents, got ''",
    })
    void badValuesAreRefused(String spec, String message) {
        String[] parts = spec.trim().split("=", 2);
        CompatException e = assertThrows(CompatException.class,
                () -> TecnativaCompat.fromEnvironment(Map.of(parts[0], parts[1])));
        assertEquals(message, e.getMessage());
    }

    @Test
    void unrelatedVariablesAreIgnoredAndTheSummarySaysWhatIsOn() throws Exception {
        TecnativaCompat compat = TecnativaCompat.fromEnvironment(
                Map.of("LOG_LEVEL", "debug", "CONTAINERS", "1", "POST", "1", "ALLOW_START", "1"));
        assertEquals("sections on: CONTAINERS EVENTS PING VERSION; methods on: GET HEAD POST; container actions on:"
                + " ALLOW_START", compat.summary());
        assertEquals("sections on: EVENTS PING VERSION; methods on: GET HEAD; container actions on: none",
                TecnativaCompat.fromEnvironment(Map.of()).summary());
    }

    @Test
    void theRulesTextShowsWhichVariableOpenedARoute() throws Exception {
        String text = TecnativaCompat.fromEnvironment(Map.of("ALLOW_START", "1", "POST", "1")).rulesText();
        assertTrue(text.contains("POST             /containers/{id}/start   # ALLOW_START=1\n"), text);
        assertTrue(text.contains("# CONTAINERS=0\n"), text);
    }

    @Test
    void everyPathItNamesIsARouteOfTheEngineApiTable() throws Exception {
        // The route list is read when the class loads; a path missing from the table fails that loading.
        String text = TecnativaCompat.fromEnvironment(Map.of("PING", "1")).rulesText();
        assertTrue(text.contains("GET,HEAD         /_ping\n"), text);
    }

    @Test
    void theTagConstraintsAreThoseOfTheShippedRules() throws Exception {
        String tagLine = java.nio.file.Files.readAllLines(java.nio.file.Path.of("conf/rules")).stream()
                .filter(line -> line.startsWith("POST") && line.contains(" /images/{name}/tag "))
                .findFirst().orElseThrow();
        String constraints = tagLine.substring(tagLine.indexOf("repo=~")).strip();
        assertEquals(constraints.replaceAll("\\s+", " "), TecnativaCompat.TAG_CONSTRAINTS.replaceAll("\\s+", " "));
    }
}
