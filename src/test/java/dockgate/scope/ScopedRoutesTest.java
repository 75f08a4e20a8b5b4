package dockgate.scope;

import dockgate.policy.RouteTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every route of the table has a way within a scope, and the ones that reach objects it cannot name are refused. */
class ScopedRoutesTest {

    private static final Scope LABELS = Scope.of("team=a", null, null);
    private static final Scope OWNER = Scope.of(null, null, "alpha");

    private static ScopedRoutes.Way way(String method, String template, Scope scope) {
        return ScopedRoutes.of(method, template, scope).way();
    }

    @Test
    void callsOnOneObjectAreLookedUpAndListsFiltered() {
        assertEquals(ScopedRoutes.Way.OBJECT, way("DELETE", "/containers/{id}", OWNER));
        assertEquals(ScopedRoutes.Way.OBJECT, way("GET", "/containers/{id}/logs", LABELS));
        assertEquals(ScopedRoutes.Way.OBJECT, way("POST", "/networks/{id}/connect", OWNER));
        assertEquals(ScopedRoutes.Way.EXEC, way("POST", "/exec/{id}/start", OWNER));
        assertEquals(ScopedRoutes.Way.LIST, way("GET", "/containers/json", OWNER));
        assertEquals(ScopedRoutes.Way.FILTERED, way("GET", "/events", OWNER));
        assertEquals(ScopedRoutes.Way.FILTERED, way("POST", "/images/prune", OWNER));
        assertEquals(ScopedRoutes.Way.REFUSED, way("GET", "/system/df", OWNER));
        assertEquals(ScopedRoutes.Way.REFUSED, way("POST", "/commit", LABELS));
        assertEquals(ScopedRoutes.Way.REFUSED, way("POST", "/build", OWNER));
    }

    @Test
    void anOwnerSharesImagesButKeepsItsTags() {
        assertEquals(ScopedRoutes.Way.FREE, way("GET", "/images/json", OWNER));
        assertEquals(ScopedRoutes.Way.FREE, way("GET", "/images/{name}/json", OWNER));
        assertEquals(ScopedRoutes.Way.TAG, way("POST", "/images/{name}/tag", OWNER));
        assertEquals(ScopedRoutes.Way.IMAGE_REMOVE, way("DELETE", "/images/{name}", OWNER));
        assertEquals(ScopedRoutes.Way.PULL, way("POST", "/images/create", OWNER));
        assertEquals(ScopedRoutes.Way.LIST, way("GET", "/images/json", LABELS));
        assertEquals(ScopedRoutes.Way.OBJECT, way("GET", "/images/{name}/json", LABELS));
    }

    @Test
    void everyRouteOfTheTableHasAWay() {
        List<String> refused = new ArrayList<>();
        for (RouteTable.Line line : RouteTable.shipped().lines()) {
            for (String method : line.methods().split(",")) {
                if (way(method, line.path(), LABELS) == ScopedRoutes.Way.REFUSED) {
                    refused.add(method + " " + line.path());
                }
            }
        }
        // Only the routes that act on objects they do not name: adding one here is a decision, not a fix.
        assertEquals(List.of("GET /system/df", "GET /images/get", "POST /images/load", "POST /build",
                "POST /build/prune", "POST /commit"), refused);
    }

    @Test
    void theObjectIsThePathLessTheTemplatesWords() {
        assertEquals("web", ScopedRoutes.object("/containers/web/logs", "/containers/{id}/logs"));
        assertEquals("local/busybox:test", ScopedRoutes.object("/images/local/busybox:test/json", "/images/{name}/json"));
        assertEquals("data", ScopedRoutes.object("/volumes/data", "/volumes/{id}"));
    }
}
