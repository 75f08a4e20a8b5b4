package dockgate.policy;

import dockgate.scope.Scope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presets in conf/presets: each loads, and allows what its consumer calls and nothing that owns the host. */
class PresetsTest {

    /** The presets issue 14 asks for (traefik-swarm comes from elsewhere; any other file is picked up too). */
    private static final List<String> REQUIRED = List.of("traefik", "homepage", "homarr", "dozzle", "portainer-readonly",
            "portainer", "watchtower", "autoheal", "diun", "uptime-kuma", "crowdsec", "glances", "netdata", "prometheus",
            "promtail", "compose", "ci");

    /** The consumers that change containers; every other preset allows GET and HEAD only. */
    private static final Set<String> WRITERS = Set.of("portainer", "watchtower", "autoheal", "compose", "ci");

    /** The consumers whose work is re-creating containers from their inspect answers, so they read the environment. */
    private static final Set<String> READ_ENVIRONMENT = Set.of("portainer", "watchtower");

    /** Calls that take over the host or read whole filesystems, and the presets that may make one of them. */
    private static final List<Object[]> NEVER = List.of(
            new Object[] {"POST", "/v1.41/containers/abc/exec", Set.of("portainer")},
            new Object[] {"POST", "/v1.41/exec/abc/start", Set.of("portainer")},
            new Object[] {"GET", "/v1.41/containers/abc/attach/ws", Set.of()},
            new Object[] {"GET", "/v1.41/containers/abc/archive?path=/", Set.of()},
            new Object[] {"GET", "/v1.41/containers/abc/export", Set.of()},
            new Object[] {"GET", "/v1.41/images/alpine/get", Set.of()},
            new Object[] {"POST", "/v1.41/images/load", Set.of()},
            new Object[] {"POST", "/v1.41/commit?container=abc", Set.of()},
            new Object[] {"POST", "/v1.41/images/create?fromImage=alpine", Set.of("portainer", "watchtower")},
            new Object[] {"POST", "/v1.41/build", Set.of()},
            new Object[] {"POST", "/v1.41/plugins/pull", Set.of()},
            new Object[] {"POST", "/v1.41/swarm/init", Set.of()},
            new Object[] {"POST", "/v1.41/services/create", Set.of()});

    static boolean allows(Profile profile, String method, String target) throws BadPathException {
        int mark = target.indexOf('?');
        String path = CanonicalPath.of(mark < 0 ? target : target.substring(0, mark));
        return profile.decide(method, path, mark < 0 ? null : target.substring(mark + 1)).allowed();
    }

    private static Profile preset(String name) {
        return Presets.load(name).profile(Rulebook.DEFAULT_PROFILE);
    }

    @Test
    void everyRequiredPresetIsBuiltIn() {
        assertTrue(Presets.names().containsAll(REQUIRED), Presets.names().toString());
        assertEquals(Presets.names().stream().sorted().toList(), Presets.names());
    }

    @Test
    void everyPresetIsOneProfileThatPingsAndNeverOwnsTheHost() throws BadPathException {
        for (String name : Presets.names()) {
            Rulebook rules = Presets.load(name);
            assertEquals("preset " + name, rules.source());
            assertEquals(1, rules.profiles().size(), name);
            Profile profile = rules.profile(Rulebook.DEFAULT_PROFILE);
            assertTrue(allows(profile, "GET", "/_ping"), name);
            assertTrue(allows(profile, "HEAD", "/v1.41/_ping"), name);
            assertTrue(allows(profile, "GET", "/v1.41/version"), name + ": the docker CLI and docker-py ask it first");
            for (Object[] call : NEVER) {
                boolean may = ((Set<?>) call[2]).contains(name);
                if (!may) {
                    assertFalse(allows(profile, (String) call[0], (String) call[1]), name + " " + call[0] + " " + call[1]);
                }
            }
            for (Rule rule : profile.rules()) {
                if (!WRITERS.contains(name)) {
                    assertTrue(Set.of("GET", "HEAD").containsAll(rule.methods()), name + ": " + rule.text());
                }
                if (rule.methods().contains("GET") && !READ_ENVIRONMENT.contains(name)) {
                    assertTrue(rule.redactions().contains("env"), name + ": " + rule.text());
                }
            }
        }
    }

    @Test
    void theWritesOfAPresetAreCheckedAndItsReadsForRecreatingRevealTheEnvironment() throws BadPathException {
        for (String name : WRITERS) {
            Profile profile = preset(name);
            for (Rule rule : profile.rules()) {
                if (rule.path().equals("/containers/create")) {
                    assertTrue(rule.checks().allowed().isEmpty(), name + " allows no host access");
                    assertTrue(rule.checks().bindSources().isEmpty(), name);
                }
            }
        }
        for (String name : READ_ENVIRONMENT) {
            Rule inspect = preset(name).decide("GET", "/v1.41/containers/abc/json", (String) null).rule();
            assertFalse(inspect.redactions().contains("env"), name);
        }
    }

    /** Calls each consumer makes, as seen from the real client or read in its source: preset, method, target. */
    private static final List<String[]> CALLS = List.of(
            new String[] {"prometheus", "HEAD", "/_ping"},
            new String[] {"prometheus", "GET", "/v1.41/containers/json?limit=0"},
            new String[] {"prometheus", "GET", "/v1.41/networks"},
            new String[] {"traefik", "GET", "/v1.24/version"},
            new String[] {"traefik", "GET", "/v1.24/containers/json?all=1"},
            new String[] {"traefik", "GET", "/v1.24/containers/3f2a/json"},
            new String[] {"traefik", "GET", "/v1.24/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D"},
            new String[] {"glances", "GET", "/v1.41/containers/abc/stats?stream=1"},
            new String[] {"glances", "GET", "/v1.41/images/sha256:0123abcd/json"},
            new String[] {"netdata", "GET", "/v1.41/containers/abc/json"},
            new String[] {"homepage", "GET", "/v1.41/containers/abc/stats?stream=false"},
            new String[] {"dozzle", "GET", "/v1.41/containers/abc/logs?follow=1&stdout=1&stderr=1"},
            new String[] {"dozzle", "GET", "/v1.41/events"},
            new String[] {"watchtower", "DELETE", "/v1.41/images/sha256:0123abcd"},
            new String[] {"watchtower", "POST", "/v1.41/networks/net1/connect"},
            new String[] {"autoheal", "POST", "/containers/abc/restart?t=10"},
            new String[] {"uptime-kuma", "GET", "/containers/json?all=true"},
            new String[] {"crowdsec", "GET", "/v1.41/info"},
            new String[] {"diun", "GET", "/v1.41/images/alpine:3/json"},
            new String[] {"promtail", "GET", "/v1.41/containers/abc/logs?follow=1"});

    /** What the same consumers must not be able to do. */
    private static final List<String[]> REFUSED = List.of(
            new String[] {"traefik", "GET", "/v1.24/containers/3f2a/logs"},
            new String[] {"autoheal", "POST", "/v1.41/containers/abc/stop"},
            new String[] {"autoheal", "POST", "/v1.41/containers/create"},
            new String[] {"portainer-readonly", "POST", "/v1.41/containers/abc/start"});

    @Test
    void theCallsOfEachConsumerAreAllowedAndOthersAreNot() throws BadPathException {
        for (String[] call : CALLS) {
            assertTrue(allows(preset(call[0]), call[1], call[2]), String.join(" ", call));
        }
        for (String[] call : REFUSED) {
            assertFalse(allows(preset(call[0]), call[1], call[2]), String.join(" ", call));
        }
    }

    @Test
    void composeAndCiCheckTheirBodiesAndCiOwnsWhatItMakes() throws BadPathException {
        Rule compose = preset("compose").decide("POST", "/v1.41/containers/create", (String) null).rule();
        assertEquals("compose", compose.checks().name());
        Profile ci = preset("ci");
        Scope scope = ci.scope();
        assertNotNull(scope);
        assertEquals("ci", scope.owner().value());
        assertTrue(allows(ci, "POST", "/v1.41/containers/create"));
        assertFalse(allows(ci, "POST", "/v1.41/containers/abc/exec"));
        assertNull(preset("compose").scope());
    }

    @Test
    void anUnknownPresetNamesThePresets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.load("nope"));
        assertTrue(e.getMessage().startsWith("no preset named 'nope' (presets: autoheal, ci, compose, "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Presets.load("../rules"));
    }
}
