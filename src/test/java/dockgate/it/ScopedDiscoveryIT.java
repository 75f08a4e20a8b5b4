package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;
import dockgate.policy.Rulebook;
import dockgate.server.Limits;
import dockgate.testing.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Service discovery through a label scope, against the real daemon: a real Prometheus docker_sd, and
 * Traefik's Docker provider's calls played back (Traefik is not packaged for Debian), each on a Unix
 * listener bound to a profile scoped to {@code traefik.enable=true}. Of two running containers only the
 * labelled one is seen, listed, inspected or heard of in the events; it is seen as it is seen directly.
 */
@Timeout(180)
class ScopedDiscoveryIT {

    static final String RULES = """
            # Traefik's provider: the issue's example, every kind of object scoped (the default).
            profile proxy scope=traefik.enable=true
            GET,HEAD /_ping
            GET      /version
            GET      /containers/json
            GET      /containers/{id}/json
            GET      /events

            # Prometheus' docker_sd lists the networks to label each target with its network's name, id
            # and scope; the networks a scope holds must carry its labels, so only the containers are
            # scoped here and a target keeps the labels it has directly.
            profile sd scope=traefik.enable=true scope-kinds=containers
            GET,HEAD /_ping
            GET      /containers/json
            GET      /networks

            # The same with every kind scoped: the networks (none, host) carry no traefik.enable.
            profile sd-all-kinds scope=traefik.enable=true
            GET,HEAD /_ping
            GET      /containers/json
            GET      /networks
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DISCOVERY = Duration.ofSeconds(60);

    static Path dir;
    static Gateway gateway;
    static PrometheusSd prometheus;
    static String labelled;
    static String labelledId;
    static String unlabelled;
    static String unlabelledId;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("dg-sd");
        String u = It.unique();
        labelled = "dockgate-it-" + u + "-routed";
        unlabelled = "dockgate-it-" + u + "-hidden";
        labelledId = runOnDaemon(labelled, "traefik.enable=true", "prometheus.io/scrape=true",
                "prometheus.io/port=8080");
        unlabelledId = runOnDaemon(unlabelled, "prometheus.io/scrape=true", "prometheus.io/port=9090");
        List<ListenSpec> listeners = new ArrayList<>();
        for (String profile : List.of("proxy", "sd", "sd-all-kinds")) {
            listeners.add(ListenSpec.unix(dir.resolve(profile + ".sock"), 0600, null).withProfile(profile));
        }
        gateway = Gateway.start(new Config(listeners, It.socket(), Rulebook.parse("ScopedDiscoveryIT", RULES),
                Config.DEFAULT_DAEMON_TIMEOUT, Limits.DEFAULTS, Config.defaultAllowFrom("127.0.0.1"), null, null,
                null));
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("direct", "unix://" + It.socket());
        jobs.put("sd", "unix://" + dir.resolve("sd.sock"));
        jobs.put("sd-all-kinds", "unix://" + dir.resolve("sd-all-kinds.sock"));
        prometheus = PrometheusSd.start(dir, jobs);
    }

    /** Runs a long-lived container of the test image directly on the daemon; its id. */
    private static String runOnDaemon(String name, String... labels) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
        for (String label : labels) {
            args.add("--label");
            args.add(label);
        }
        args.addAll(List.of(It.IMAGE, "sleep", "3600"));
        It.Result r = onDaemon(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        return r.out().strip();
    }

    private static It.Result onDaemon(String... args) throws Exception {
        return It.run(It.cliAt("unix://" + It.socket(), args), It.CLI_TIMEOUT);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) prometheus.close();
        } finally {
            if (gateway != null) gateway.close();
            for (String name : new String[] {labelled, unlabelled}) {
                if (name != null) onDaemon("rm", "-f", name);
            }
        }
    }

    // ---------------------------------------------------------------- Prometheus docker_sd

    @Test
    void prometheusDiscoversTheLabelledContainerAsDirectlyAndNotTheOther() throws Exception {
        boolean found = It.await(DISCOVERY, () -> prometheus.discovered("direct").keySet()
                .containsAll(List.of(labelledId, unlabelledId))
                && prometheus.discovered("sd").containsKey(labelledId)
                && prometheus.discovered("sd-all-kinds").containsKey(labelledId));
        assertTrue(found, () -> "Prometheus did not discover the containers within " + DISCOVERY + ": direct "
                + prometheus.discovered("direct") + "\nsd " + prometheus.discovered("sd") + "\nsd-all-kinds "
                + prometheus.discovered("sd-all-kinds") + "\n" + logOf(prometheus));

        Map<String, Map<String, String>> scoped = prometheus.discovered("sd");
        Map<String, String> through = scoped.get(labelledId);
        assertEquals("true", through.get("__meta_docker_container_label_traefik_enable"), through::toString);
        assertEquals("8080", through.get("__meta_docker_container_label_prometheus_io_port"), through::toString);
        assertEquals("none", through.get("__meta_docker_network_name"), through::toString);
        assertEquals(withoutJob(prometheus.discovered("direct").get(labelledId)), withoutJob(through),
                "docker_sd through the scope labels the container as it does directly");
        assertFalse(scoped.containsKey(unlabelledId), () -> "the unlabelled container is discovered: " + scoped);
        assertTrue(scoped.values().stream().allMatch(t -> "true".equals(t.get("__meta_docker_container_label_traefik_enable"))),
                () -> "only containers of the scope are discovered: " + scoped);

        // Scoping the networks too hides the container's network from the list docker_sd labels it from.
        Map<String, Map<String, String>> allKinds = prometheus.discovered("sd-all-kinds");
        assertNull(allKinds.get(labelledId).get("__meta_docker_network_name"), () -> allKinds.get(labelledId).toString());
        assertFalse(allKinds.containsKey(unlabelledId), allKinds::toString);

        assertEquals(List.of(), prometheus.complaints(), "Prometheus warned or failed: docker_sd was refused a call?");
    }

    private static Map<String, String> withoutJob(Map<String, String> labels) {
        Map<String, String> rest = new HashMap<>(labels);
        rest.remove("job");
        return rest;
    }

    private static String logOf(PrometheusSd p) {
        try {
            return p.log();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---------------------------------------------------------------- Traefik's provider, played back

    private static RawClient proxy() throws IOException {
        return RawClient.unix(dir.resolve("proxy.sock"));
    }

    @Test
    void traefiksHandshakeListAndInspectSeeOnlyTheLabelledContainer() throws Exception {
        try (RawClient traefik = proxy()) {
            RawClient.Response head = traefik.send("HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n").read(true);
            assertEquals(200, head.status(), head::toString);
            assertEquals("OK", traefik.get("/_ping").body());
            RawClient.Response version = traefik.get("/version");
            assertEquals(200, version.status(), version::toString);
            assertTrue(JSON.readTree(version.body()).hasNonNull("ApiVersion"), version::toString);

            RawClient.Response list = traefik.get("/v1.41/containers/json");
            assertEquals(200, list.status(), list::toString);
            List<String> ids = new ArrayList<>();
            for (JsonNode container : JSON.readTree(list.body())) {
                ids.add(container.path("Id").asText());
                assertEquals("true", container.path("Labels").path("traefik.enable").asText(), list::toString);
            }
            assertTrue(ids.contains(labelledId), list::toString);
            assertFalse(ids.contains(unlabelledId), list::toString);

            for (String id : ids) {
                RawClient.Response inspect = traefik.get("/v1.41/containers/" + id + "/json");
                assertEquals(200, inspect.status(), inspect::toString);
                JsonNode container = JSON.readTree(inspect.body());
                assertEquals(id, container.path("Id").asText());
                assertEquals("true", container.path("Config").path("Labels").path("traefik.enable").asText());
            }
            for (String hidden : List.of(unlabelled, unlabelledId)) {
                RawClient.Response inspect = traefik.get("/v1.41/containers/" + hidden + "/json");
                assertEquals(404, inspect.status(), inspect::toString);
                assertEquals("No such container: " + hidden, JSON.readTree(inspect.body()).path("message").asText(),
                        inspect::toString);
            }
        }
    }

    @Test
    @Timeout(90)
    void traefiksEventStreamHearsOnlyOfTheLabelledContainer() throws Exception {
        try (RawClient traefik = proxy()) {
            // As the Go client writes filters.Args: {"type":{"container":true}}.
            RawClient.Response head = traefik.sendGet("/v1.41/events?filters=%7B%22type%22%3A%7B%22container%22%3Atrue%7D%7D")
                    .readHead();
            assertEquals(200, head.status(), head::toString);
            Events events = new Events(traefik);

            // The first event shows that the daemon is streaming to this client before the unlabelled one acts.
            pause("pause", labelled);
            assertEvent(events.next(), "pause", labelledId);
            pause("pause", unlabelled);
            pause("unpause", labelled);
            assertEvent(events.next(), "unpause", labelledId);
        } finally {
            onDaemon("unpause", labelled);
            onDaemon("unpause", unlabelled);
        }
    }

    private static void pause(String action, String name) throws Exception {
        It.Result r = onDaemon(action, name);
        assertEquals(0, r.exit(), r::toString);
    }

    private static void assertEvent(JsonNode event, String action, String id) {
        assertEquals("container", event.path("Type").asText(), event::toString);
        assertEquals(action, event.path("Action").asText(), event::toString);
        assertEquals(id, event.path("Actor").path("ID").asText(), event::toString);
    }

    /** The events of a stream, one JSON object a line, however the chunks cut them. */
    private static final class Events {
        private final RawClient stream;
        private final StringBuilder pending = new StringBuilder();

        Events(RawClient stream) {
            this.stream = stream;
        }

        /** The next event; the test's timeout bounds the wait, a Unix socket read having none. */
        JsonNode next() throws IOException {
            int newline;
            while ((newline = pending.indexOf("\n")) < 0) {
                String chunk = stream.readChunk();
                assertTrue(chunk != null, "the event stream ended; it should stay open");
                pending.append(chunk);
            }
            String line = pending.substring(0, newline);
            pending.delete(0, newline + 1);
            return JSON.readTree(line);
        }
    }
}
