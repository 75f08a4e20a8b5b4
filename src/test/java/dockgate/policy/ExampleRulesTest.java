package dockgate.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example rules shipped in conf/examples: each parses, and allows and denies what its comments say. */
class ExampleRulesTest {

    private static final Path EXAMPLES = Path.of("conf/examples");

    private static Rulebook load(String name) throws Exception {
        return Rulebook.load(EXAMPLES.resolve(name));
    }

    /** Decides as the gateway does: canonical path first, then the profile's rules. */
    private static boolean allows(Profile policy, String method, String target) throws BadPathException {
        int mark = target.indexOf('?');
        String path = CanonicalPath.of(mark < 0 ? target : target.substring(0, mark));
        return policy.decide(method, path, mark < 0 ? null : target.substring(mark + 1)).allowed();
    }

    /** What only the examples for clients that run containers allow, with their bodies checked. */
    private static final List<String[]> RUNS_CONTAINERS = List.of(
            new String[] {"POST", "/v1.41/containers/create"},
            new String[] {"POST", "/v1.41/containers/abc/start"},
            new String[] {"POST", "/v1.41/containers/abc/attach"},
            new String[] {"DELETE", "/v1.41/containers/abc"});

    /** The examples for clients that run containers. */
    private static final List<String> RUNNERS = List.of("compose.rules", "containers.rules", "tenants.rules");

    /** What none of the examples may ever allow: these take over the host or read whole filesystems. */
    private static final List<String[]> NEVER = List.of(
            new String[] {"POST", "/v1.41/containers/abc/exec"},
            new String[] {"POST", "/v1.41/exec/abc/start"},
            new String[] {"GET", "/v1.41/containers/abc/attach/ws"},
            new String[] {"GET", "/v1.41/containers/abc/archive?path=/"},
            new String[] {"GET", "/v1.41/containers/abc/export"},
            new String[] {"GET", "/v1.41/images/alpine/get"},
            new String[] {"POST", "/v1.41/images/create?fromImage=alpine"},
            new String[] {"POST", "/v1.41/build"});

    @Test
    void everyExampleFileParses() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.filter(p -> p.toString().endsWith(".rules")).sorted().toList();
        }
        assertEquals(List.of("compose.rules", "containers.rules", "dashboard.rules", "log-viewer.rules", "profiles.rules", "reverse-proxy.rules",
                "tenants.rules"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : files) {
            try {
                Rulebook rules = Rulebook.load(file);
                assertTrue(rules.size() > 0, file.toString());
                for (Profile profile : rules.profiles()) {
                    for (String[] call : NEVER) {
                        assertFalse(allows(profile, call[0], call[1]), file + " profile " + profile.name() + " " + call[1]);
                    }
                    if (!RUNNERS.contains(file.getFileName().toString())) {
                        for (String[] call : RUNS_CONTAINERS) {
                            assertFalse(allows(profile, call[0], call[1]), file + " profile " + profile.name() + " " + call[1]);
                        }
                    }
                }
            } catch (RulesException | BadPathException e) {
                throw new AssertionError(file + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void containersRunsAndRemovesContainersWithTheirBodiesChecked() throws Exception {
        Rulebook rules = load("containers.rules");
        Profile ci = rules.profile("default");
        for (String[] call : RUNS_CONTAINERS) {
            assertTrue(allows(ci, call[0], call[1]), call[1]);
        }
        Rule create = ci.decide("POST", "/v1.41/containers/create", (String) null).rule();
        assertEquals("ci", create.checks().name());
        assertEquals(List.of(), create.checks().allowed().stream().toList(), "no host access is allowed");
        assertTrue(create.checks().bindSources().isEmpty());
        assertFalse(allows(ci, "POST", "/v1.41/containers/abc/exec"));
        assertFalse(allows(ci, "POST", "/v1.41/images/create?fromImage=alpine"));
    }

    @Test
    void reverseProxyAllowsWhatTraefikCallsAndNoLogs() throws Exception {
        Profile traefik = load("reverse-proxy.rules").profile("default");
        assertTrue(allows(traefik, "HEAD", "/_ping"));
        assertTrue(allows(traefik, "GET", "/v1.24/version"));
        assertTrue(allows(traefik, "GET", "/v1.24/containers/json?all=1"));
        assertTrue(allows(traefik, "GET", "/v1.24/containers/3f2a/json"));
        assertTrue(allows(traefik, "GET", "/v1.24/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D"));
        assertFalse(allows(traefik, "GET", "/v1.24/services"), "swarm calls are commented out");
        assertFalse(allows(traefik, "GET", "/v1.24/containers/3f2a/logs"));
        assertFalse(allows(traefik, "GET", "/v1.24/info"));
    }

    @Test
    void dashboardReadsListsButNotLogsOrFiles() throws Exception {
        Profile dashboard = load("dashboard.rules").profile("default");
        for (String target : List.of("/v1.41/containers/json?all=1", "/v1.41/containers/abc/stats?stream=0",
                "/v1.41/images/json", "/v1.41/images/localhost:5000/team/app:1.2/json", "/v1.41/networks",
                "/v1.41/volumes/data", "/v1.41/info", "/v1.41/system/df", "/v1.41/events")) {
            assertTrue(allows(dashboard, "GET", target), target);
        }
        assertFalse(allows(dashboard, "GET", "/v1.41/containers/abc/logs"));
        assertFalse(allows(dashboard, "GET", "/v1.41/containers/abc/top"));
        assertFalse(allows(dashboard, "POST", "/v1.41/containers/abc/stop"));
    }

    @Test
    void logViewerFollowsLogsAndStatsButCannotActOnContainers() throws Exception {
        Profile dozzle = load("log-viewer.rules").profile("default");
        assertTrue(allows(dozzle, "GET", "/v1.41/containers/abc/logs?follow=1&stdout=1&stderr=1&timestamps=1&since=0"));
        assertTrue(allows(dozzle, "GET", "/v1.41/containers/abc/stats"));
        assertTrue(allows(dozzle, "GET", "/v1.41/containers/json?all=1"));
        assertTrue(allows(dozzle, "GET", "/v1.41/events"));
        assertFalse(allows(dozzle, "POST", "/v1.41/containers/abc/restart"));
        assertFalse(allows(dozzle, "POST", "/v1.41/containers/abc/stop"));
        assertFalse(allows(dozzle, "GET", "/v1.41/images/json"));
    }

    @Test
    void profilesGiveEachConsumerItsOwnCalls() throws Exception {
        Rulebook rules = load("profiles.rules");
        assertEquals(List.of("default", "reverse-proxy", "log-viewer", "dashboard"),
                rules.profiles().stream().map(Profile::name).toList());
        Profile traefik = rules.profileFor(InetAddress.getByName("172.30.1.10"));
        Profile dozzle = rules.profileFor(InetAddress.getByName("172.30.2.10"));
        Profile dashboard = rules.profileFor(InetAddress.getByName("172.30.4.17"));
        Profile anyoneElse = rules.profileFor(InetAddress.getByName("127.0.0.1"));
        assertEquals("reverse-proxy", traefik.name());
        assertEquals("log-viewer", dozzle.name());
        assertEquals("dashboard", dashboard.name());
        assertEquals("default", anyoneElse.name());

        assertTrue(allows(traefik, "GET", "/v1.41/containers/json"));
        assertFalse(allows(traefik, "GET", "/v1.41/containers/abc/logs"));
        assertTrue(allows(dozzle, "GET", "/v1.41/containers/abc/logs?follow=1"));
        assertTrue(allows(dashboard, "GET", "/v1.41/images/json"));
        assertFalse(allows(dashboard, "GET", "/v1.41/containers/abc/logs"));
        assertTrue(allows(anyoneElse, "GET", "/v1.41/version"));
        assertFalse(allows(anyoneElse, "GET", "/v1.41/containers/json"));
    }
}
