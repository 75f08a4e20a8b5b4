package dockgate.api;

import dockgate.policy.RouteTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes whose answers may be held to go whole: documents only, never one that can stream. */
class DocumentRoutesTest {

    private static boolean document(String method, String path) {
        EngineApi.Route route = EngineApi.routes().route(method, path);
        return route != null && route.document();
    }

    @Test
    void listsAndInspectsAreDocuments() {
        for (String path : List.of("/containers/json", "/containers/abc/json", "/images/json", "/images/a/b:c/json",
                "/networks", "/volumes/v", "/services", "/tasks/t", "/info", "/version", "/system/df")) {
            assertTrue(document("GET", path), path);
        }
    }

    @Test
    void whatCanStreamIsNot() {
        for (String path : List.of("/events", "/containers/abc/logs", "/containers/abc/stats", "/containers/abc/attach/ws",
                "/containers/abc/export", "/containers/abc/archive", "/images/get", "/images/a/get", "/services/s/logs",
                "/tasks/t/logs", "/_ping")) {
            assertFalse(document("GET", path), path);
        }
    }

    @Test
    void onlyGetLinesAreMarked() {
        for (RouteTable.Line line : RouteTable.shipped().lines()) {
            if (line.document()) {
                assertEquals("GET", line.methods(), line.path());
            }
        }
    }
}
