package dockgate.scope;

import dockgate.policy.Rulebook;
import dockgate.testing.GatewayFixture;
import dockgate.policy.Query;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An owner-scoped profile through a gateway in front of a stand-in daemon that holds alpha's and beta's
 * objects: what reaches the daemon, and what the client is told. The real daemon's side is TenantsIT.
 */
class ScopeGatewayTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private static final String ALPHA_ID = "a1".repeat(32);
    private static final String BETA_ID = "b2".repeat(32);
    /** The daemon's objects: inspect path to answer; anything else it answers 200 {}. */
    private static final Map<String, String> OBJECTS = objects(
            "/containers/web/json", container(ALPHA_ID, "alpha"),
            "/containers/" + ALPHA_ID + "/json", container(ALPHA_ID, "alpha"),
            "/containers/db/json", container(BETA_ID, "beta"),
            "/containers/" + BETA_ID + "/json", container(BETA_ID, "beta"),
            "/exec/e1/json", "{\"ID\":\"e1\",\"ContainerID\":\"" + BETA_ID + "\"}",
            "/exec/e2/json", "{\"ID\":\"e2\",\"ContainerID\":\"" + ALPHA_ID + "\"}",
            "/images/shared:1/json", "{\"Id\":\"sha256:1\",\"Config\":{\"Labels\":null}}",
            "/images/betas:1/json", "{\"Id\":\"sha256:2\",\"Config\":{\"Labels\":{\"dockgate.owner\":\"beta\"}}}",
            "/volumes/alphas", "{\"Name\":\"alphas\",\"Labels\":{\"dockgate.owner\":\"alpha\"}}",
            "/volumes/betas", "{\"Name\":\"betas\",\"Labels\":{\"dockgate.owner\":\"beta\"}}",
            "/networks/alphanet", "{\"Id\":\"n1\",\"Labels\":{\"dockgate.owner\":\"alpha\"}}",
            "/tasks/t1", "{\"ID\":\"t1full\",\"ServiceID\":\"s1\",\"Labels\":{}}",
            "/tasks/t1full", "{\"ID\":\"t1full\",\"ServiceID\":\"s1\",\"Labels\":{}}",
            "/tasks/t2", "{\"ID\":\"t2full\",\"ServiceID\":\"s2\",\"Labels\":{}}",
            "/services/s1", "{\"ID\":\"s1\",\"Spec\":{\"Labels\":{\"dockgate.owner\":\"alpha\"}}}",
            "/services/s2", "{\"ID\":\"s2\",\"Spec\":{\"Labels\":{\"dockgate.owner\":\"beta\"}}}",
            "/images/alphas:1/json", "{\"Id\":\"sha256:3\",\"Config\":{\"Labels\":{\"dockgate.owner\":\"alpha\"}}}");

    private static final java.util.regex.Pattern INSPECT = java.util.regex.Pattern.compile(
            "/(containers|images|exec)/.+/json|/(volumes|networks|tasks|services)/[^/]+");

    private static final String RULES = """
            profile default owner=alpha
            GET,HEAD /_ping
            GET      /containers/json
            GET      /containers/{id}/json
            GET      /containers/{id}/logs
            DELETE   /containers/{id}
            POST     /containers/create
            POST     /networks/{id}/connect
            POST     /volumes/create
            POST     /networks/{id}/disconnect
            POST     /exec/{id}/start
            POST     /images/{name}/tag
            DELETE   /images/{name}
            GET      /events
            GET      /tasks/{id}
            GET      /system/df
            """;

    private static Map<String, String> objects(String... pathsAndAnswers) {
        Map<String, String> objects = new java.util.HashMap<>();
        for (int i = 0; i < pathsAndAnswers.length; i += 2) {
            objects.put(pathsAndAnswers[i], pathsAndAnswers[i + 1]);
        }
        return Map.copyOf(objects);
    }

    private static String container(String id, String owner) {
        return "{\"Id\":\"" + id + "\",\"Config\":{\"Labels\":{\"dockgate.owner\":\"" + owner + "\"}}}";
    }

    private static final StandInDaemon.Responder DAEMON = (request, connection) -> {
        String path = request.target().replaceFirst("^/v1\\.41", "").replaceFirst("\\?.*", "");
        String object = OBJECTS.get(path);
        if (object != null) {
            connection.send(200, "application/json", object);
        } else if (request.method().equals("GET") && INSPECT.matcher(path).matches()) {
            connection.send(404, "application/json", "{\"message\":\"No such object: " + path + "\"}");
        } else {
            connection.send(200, "application/json", "{}");
        }
    };

    private int start() throws Exception {
        return fixture.start(DAEMON, Rulebook.parse("rules", RULES), UnaryOperator.identity()).port();
    }

    private static RawClient.Response call(int port, String method, String target, String body) throws IOException {
        try (RawClient client = new RawClient(port)) {
            String head = method + " " + target + " HTTP/1.1\r\nHost: x\r\n";
            client.send(body == null ? head + "\r\n" : head + "Content-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            return client.read(method.equals("HEAD"));
        }
    }

    /** The filters parameter as the daemon is sent it: the value encoded one way. */
    private static String filters(String json) {
        return Query.EMPTY.with("filters", json).canonical();
    }

    private List<String> reached() {
        return fixture.daemon().requests().stream().map(r -> r.method() + " " + r.target()).toList();
    }

    @Test
    void aListCarriesTheOwnersLabelJoinedToTheClientsFilters() throws Exception {
        int port = start();
        assertEquals(200, call(port, "GET", "/v1.41/containers/json?all=1&filters=%7B%22status%22%3A%5B%22running%22%5D%7D", null).status());
        assertEquals(List.of("GET /v1.41/containers/json?all=1&"
                + filters("{\"status\":{\"running\":true},\"label\":{\"dockgate.owner=alpha\":true}}")), reached());
    }

    @Test
    void anotherOwnersContainerIsMissingAndNothingIsDoneToIt() throws Exception {
        int port = start();
        RawClient.Response inspect = call(port, "GET", "/v1.41/containers/db/json", null);
        assertEquals(404, inspect.status());
        assertEquals("{\"message\":\"No such container: db\"}\n", inspect.body());
        assertEquals(404, call(port, "DELETE", "/v1.41/containers/db?force=1", null).status());
        assertEquals(404, call(port, "GET", "/v1.41/containers/db/logs", null).status());
        // The inspect is judged on the daemon's own answer; the DELETE and the logs are looked up first.
        assertEquals(List.of("GET /v1.41/containers/db/json", "GET /containers/db/json", "GET /containers/db/json"), reached());
        RawClient.Response own = call(port, "GET", "/v1.41/containers/web/json", null);
        assertEquals(200, own.status());
        assertEquals(container(ALPHA_ID, "alpha"), own.body());
    }

    @Test
    void anOwnContainerIsReachedByItsIdNotTheNameGiven() throws Exception {
        int port = start();
        assertEquals(200, call(port, "DELETE", "/v1.41/containers/web?force=1", null).status());
        assertEquals(List.of("GET /containers/web/json", "DELETE /v1.41/containers/" + ALPHA_ID + "?force=1"), reached());
    }

    @Test
    void aMissingObjectGetsTheDaemonsOwnAnswer() throws Exception {
        RawClient.Response missing = call(start(), "DELETE", "/containers/nosuch", null);
        assertEquals(404, missing.status());
        assertEquals("{\"message\":\"No such object: /containers/nosuch/json\"}\n", missing.body());
    }

    @Test
    void anExecIsReachedOnlyInAContainerOfTheScope() throws Exception {
        int port = start();
        assertEquals(404, call(port, "POST", "/v1.41/exec/e1/start", "{}").status());
        assertEquals(200, call(port, "POST", "/v1.41/exec/e2/start", "{}").status());
        assertEquals(List.of("GET /exec/e1/json", "GET /containers/" + BETA_ID + "/json",
                "GET /exec/e2/json", "GET /containers/" + ALPHA_ID + "/json", "POST /v1.41/exec/e2/start"), reached());
    }

    @Test
    void whatTheOwnerCreatesIsStampedOverTheClientsOwnLabel() throws Exception {
        int port = start();
        assertEquals(200, call(port, "POST", "/v1.41/containers/create",
                "{\"Image\":\"busybox\",\"Labels\":{\"dockgate.owner\":\"beta\",\"app\":\"web\"}}").status());
        StandInDaemon.Request create = fixture.daemon().requests().get(0);
        assertTrue(create.bodyText().contains("\"Labels\":{\"dockgate.owner\":\"alpha\",\"app\":\"web\"}"), create.bodyText());
    }

    @Test
    void anOwnerMayNotRePointATagItDoesNotHoldNorRemoveAnImageItDoesNotOwn() throws Exception {
        int port = start();
        RawClient.Response taken = call(port, "POST", "/v1.41/images/alphas:1/tag?repo=betas&tag=1", null);
        assertEquals(403, taken.status());
        assertTrue(taken.body().contains("held by an image of another owner"), taken.body());
        assertEquals(403, call(port, "POST", "/v1.41/images/alphas:1/tag?repo=shared&tag=1", null).status());
        assertEquals(200, call(port, "POST", "/v1.41/images/shared:1/tag?repo=alphas&tag=1", null).status());
        assertEquals(200, call(port, "POST", "/v1.41/images/shared:1/tag?repo=fresh&tag=1", null).status());
        assertEquals(403, call(port, "DELETE", "/v1.41/images/shared:1", null).status());
        assertEquals(200, call(port, "DELETE", "/v1.41/images/alphas:1", null).status());
        assertEquals(List.of("POST /v1.41/images/shared:1/tag?repo=alphas&tag=1", "POST /v1.41/images/shared:1/tag?repo=fresh&tag=1",
                "DELETE /v1.41/images/alphas:1"), reached().stream().filter(r -> !r.startsWith("GET")).toList());
    }

    @Test
    void aCreateMayNameOnlyTheOwnersVolumesNetworksAndContainers() throws Exception {
        int port = start();
        assertEquals(200, call(port, "POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":"
                + "[\"alphas:/data\"],\"NetworkMode\":\"alphanet\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{}}}}").status());
        RawClient.Response theirs = call(port, "POST", "/containers/create",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"betas\",\"Target\":\"/d\"}]}}");
        assertEquals(403, theirs.status());
        assertEquals("{\"message\":\"dockgate: the volume betas named in the body is outside the scope of profile default"
                + " (dockgate.owner=alpha)\"}\n", theirs.body());
        RawClient.Response fresh = call(port, "POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"new:/d\"]}}");
        assertEquals(403, fresh.status());
        assertTrue(fresh.body().contains("create it first"), fresh.body());
        assertEquals(403, call(port, "POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"Links\":[\"db:db\"]}}").status());
        assertEquals(403, call(port, "POST", "/networks/alphanet/connect", "{\"Container\":\"db\"}").status());
        assertEquals(400, call(port, "POST", "/networks/alphanet/disconnect", "{\"Container\":\"web\",\"container\":\"db\"}").status());
        assertEquals(403, call(port, "POST", "/networks/alphanet/disconnect", "{\"CONTAINER\":\"db\"}").status());
        assertEquals(200, call(port, "POST", "/networks/alphanet/disconnect", "{\"container\":\"web\"}").status());
        // A volume create of another owner's name would be answered with that volume.
        assertEquals(403, call(port, "POST", "/volumes/create", "{\"Name\":\"betas\"}").status());
        assertEquals(200, call(port, "POST", "/volumes/create", "{\"Name\":\"alphas\"}").status());
        assertEquals(200, call(port, "POST", "/volumes/create", "{\"Name\":\"fresh\"}").status());
        assertEquals(List.of("POST /containers/create", "POST /networks/n1/disconnect", "POST /volumes/create",
                        "POST /volumes/create"),
                reached().stream().filter(r -> r.startsWith("POST")).toList());
    }

    @Test
    void aTaskIsJudgedByItsServicesLabelsAsTheDaemonsTaskListIs() throws Exception {
        int port = start();
        assertEquals(200, call(port, "GET", "/v1.41/tasks/t1", null).status());
        RawClient.Response theirs = call(port, "GET", "/v1.41/tasks/t2", null);
        assertEquals(404, theirs.status());
        assertEquals("{\"message\":\"task t2 not found\"}\n", theirs.body());
        assertEquals(List.of("GET /tasks/t1", "GET /services/s1", "GET /v1.41/tasks/t1full", "GET /tasks/t2",
                "GET /services/s2"), reached());
    }

    @Test
    void eventsAreFilteredAndSystemDfIsRefused() throws Exception {
        int port = start();
        assertEquals(200, call(port, "GET", "/events?since=1", null).status());
        RawClient.Response df = call(port, "GET", "/system/df", null);
        assertEquals(403, df.status());
        assertTrue(df.body().contains("scope"), df.body());
        assertEquals(List.of("GET /events?since=1&" + filters("{\"label\":{\"dockgate.owner=alpha\":true}}")),
                reached());
    }

    @Test
    void filtersTheDaemonWouldReadOtherwiseAreRefusedUnsent() throws Exception {
        RawClient.Response bad = call(start(), "GET", "/containers/json?filters=%7B%22label%22%3A%22x%22%7D", null);
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("bad filters"), bad.body());
        assertEquals(List.of(), reached());
    }
}
