package dockgate.audit;

import dockgate.api.EngineApi;

import dockgate.policy.Profile;
import dockgate.policy.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generalisation of calls to Docker Engine API routes that audit mode writes its rules with. */
class DockerApiRoutesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // version prefixes are dropped, bare paths kept
            "HEAD   | /_ping                                                   | /_ping                      | true",
            "GET    | /v1.41/_ping                                             | /_ping                      | true",
            "GET    | /v1.24/version                                           | /version                    | true",
            // container ids and names are one segment
            "GET    | /v1.41/containers/3f2a9c1e0b7d4a5f8e6c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f/json | /containers/{id}/json | true",
            "GET    | /containers/my_web.1-x/json                              | /containers/{id}/json       | true",
            "POST   | /v1.41/containers/abc/start                              | /containers/{id}/start      | true",
            "DELETE | /v1.41/containers/abc                                    | /containers/{id}            | true",
            "GET    | /containers/json                                         | /containers/json            | true",
            "POST   | /v1.41/containers/create                                 | /containers/create          | true",
            "HEAD   | /v1.41/containers/abc/archive                            | /containers/{id}/archive    | true",
            "GET    | /v1.41/containers/abc/attach/ws                          | /containers/{id}/attach/ws  | true",
            // image names hold '/', ':' and '@', registry ports and digests
            "GET    | /v1.41/images/alpine/json                                | /images/{name}/json         | true",
            "GET    | /v1.41/images/localhost:5000/team/app:1.2/json           | /images/{name}/json         | true",
            "GET    | /images/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/json | /images/{name}/json | true",
            "GET    | /v1.41/images/registry.example.com:443/a/b/c:latest/history | /images/{name}/history   | true",
            "POST   | /v1.41/images/local/busybox:test/tag                     | /images/{name}/tag          | true",
            "DELETE | /v1.41/images/localhost:5000/team/app:1.2                | /images/{name}              | true",
            "GET    | /v1.41/images/json                                       | /images/json                | true",
            "GET    | /v1.41/images/get                                        | /images/get                 | true",
            "GET    | /v1.41/images/a/b/get                                    | /images/{name}/get          | true",
            "POST   | /v1.41/images/create                                     | /images/create              | true",
            // the other families
            "POST   | /v1.41/exec/9f8e/start                                   | /exec/{id}/start            | true",
            "GET    | /v1.41/networks/bridge                                   | /networks/{id}              | true",
            "POST   | /v1.41/networks/create                                   | /networks/create            | true",
            "GET    | /v1.41/volumes/data_1                                    | /volumes/{id}               | true",
            "POST   | /v1.41/volumes/prune                                     | /volumes/prune              | true",
            "POST   | /v1.41/services/web/update                               | /services/{id}/update       | true",
            "GET    | /v1.41/tasks/abc/logs                                    | /tasks/{id}/logs            | true",
            "DELETE | /v1.41/secrets/s1                                        | /secrets/{id}               | true",
            "POST   | /v1.41/configs/create                                    | /configs/create             | true",
            "GET    | /v1.41/nodes/n1                                          | /nodes/{id}                 | true",
            "POST   | /v1.41/swarm/init                                        | /swarm/init                 | true",
            "GET    | /v1.41/plugins/vieux/sshfs:latest/json                   | /plugins/{name}/json        | true",
            "GET    | /v1.41/plugins/privileges                                | /plugins/privileges         | true",
            "GET    | /v1.41/distribution/docker.io/library/alpine:3/json      | /distribution/{name}/json   | true",
            "POST   | /session                                                 | /session                    | true",
            "POST   | /v1.41/build                                             | /build                      | true",
            "POST   | /v1.41/auth                                              | /auth                       | true",
            "POST   | /v1.41/commit                                            | /commit                     | true",
            "GET    | /v1.41/system/df                                         | /system/df                  | true",
            // no route: written literally, without the version prefix
            "GET    | /v1.41/containers/local/busybox:test/json                | /containers/local/busybox:test/json | false",
            "GET    | /v1.41/nothing/here                                      | /nothing/here               | false",
            "PUT    | /v1.41/containers/abc/json                               | /containers/abc/json        | false",
            "GET    | /v1/_ping                                                | /v1/_ping                   | false",
            "GET    | /v1.41/v1.41/_ping                                       | /v1.41/_ping                | false",
            // a version segment further in is part of the path, not a prefix: learned as sent, not as .../logs
            "GET    | /v1.41/containers/abc/v1.41/logs                         | /containers/abc/v1.41/logs  | false",
            "GET    | /containers/abc/v1.41/logs                               | /containers/abc/v1.41/logs  | false",
            "get    | /_ping                                                   | /_ping                      | false",
            "GET    | /                                                        | /                           | false",
    })
    void callsAreGeneralisedToTheirRoute(String method, String path, String route, boolean known) {
        assertEquals(new DockerApiRoutes.Route(route, known), DockerApiRoutes.of(method, path));
    }

    @Test
    void everyRouteMatchesItselfFirstWithPlaceholdersFilledIn() throws Exception {
        Profile table = EngineApi.routes().asProfile();
        Set<String> seen = new HashSet<>();
        for (Rule rule : table.rules()) {
            String path = rule.path().replace("{id}", "c0ffee").replace("{name}", "localhost:5000/team/app:1.2");
            for (String method : rule.methods()) {
                assertTrue(seen.add(method + " " + rule.path()), "listed twice: " + method + " " + rule.path());
                for (String prefix : List.of("", "/v1.41")) {
                    DockerApiRoutes.Route route = DockerApiRoutes.of(method, prefix + path);
                    assertEquals(new DockerApiRoutes.Route(rule.path(), true), route, method + " " + prefix + path);
                }
            }
        }
        // Every family the API reference lists is in the table.
        for (String family : List.of("/_ping", "/containers/", "/images/", "/networks", "/volumes", "/exec/", "/events",
                "/swarm", "/services", "/nodes", "/tasks", "/secrets", "/configs", "/plugins", "/distribution/",
                "/session", "/build", "/auth", "/commit", "/system/df", "/info", "/version")) {
            assertTrue(table.rules().stream().anyMatch(r -> r.path().startsWith(family)), family);
        }
    }
}
