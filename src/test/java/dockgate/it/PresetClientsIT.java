package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Statistics;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The presets, each through the real client of the consumer it is for (or the client library that consumer
 * uses), against the real daemon: what the consumer shows is what it shows directly, and a call outside
 * the preset is refused.
 */
@Timeout(300)
class PresetClientsIT {
    static final DockerClient daemon = It.daemon();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = It.unique() + "-preset";
    static final Map<String, Gateway> gateways = new LinkedHashMap<>();
    static String id;

    @BeforeAll
    static void start() throws Exception {
        It.Result run = It.run(It.cliAt("unix://" + It.socket(), "run", "-d", "--name", NAME, "--network", "none",
                "--label", "app=preset", "-e", "SECRET=hunter2", IMAGE, "sh", "-c", "echo hello from preset; sleep 600"),
                It.CLI_TIMEOUT);
        assertEquals(0, run.exit(), run::toString);
        id = daemon.inspectContainerCmd(NAME).exec().getId();
    }

    @AfterAll
    static void stop() {
        It.removeContainerQuietly(daemon, NAME);
        gateways.values().forEach(Gateway::close);
    }

    /** A gateway serving the preset, started once. */
    static Gateway preset(String name) throws Exception {
        Gateway gateway = gateways.get(name);
        if (gateway == null) {
            Profile rules = Rulebook.load(Path.of("conf/presets/" + name + ".rules")).profile(Rulebook.DEFAULT_PROFILE);
            gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), rules));
            gateways.put(name, gateway);
        }
        return gateway;
    }

    static String host(String preset) throws Exception {
        return "tcp://127.0.0.1:" + preset(preset).port();
    }

    static It.Result cli(String preset, String... args) throws Exception {
        return It.run(It.cliAt(host(preset), args), It.CLI_TIMEOUT);
    }

    @Test
    void glancesShowsCpuAndMemoryOfARunningContainer() throws Exception {
        ProcessBuilder glances = new ProcessBuilder("glances", "--stdout-json", "docker", "--stop-after", "3", "-t", "1")
                .redirectInput(new File("/dev/null"));
        glances.environment().put("DOCKER_HOST", host("glances"));
        glances.environment().put("HOME", Files.createTempDirectory("dg-glances").toString());
        It.Result shown = It.run(glances, Duration.ofSeconds(90));
        assertEquals(0, shown.exit(), shown::toString);
        List<String> lines = shown.out().lines().filter(l -> l.startsWith("docker: ")).toList();
        assertTrue(!lines.isEmpty(), shown::toString);
        JsonNode docker = JSON.readTree(lines.get(lines.size() - 1).substring("docker: ".length()));
        JsonNode ours = null;
        for (JsonNode container : docker.path("containers")) {
            if (container.path("name").asText().equals(NAME)) ours = container;
        }
        assertTrue(ours != null, shown::toString);
        assertTrue(ours.path("cpu").has("total"), ours::toString);
        assertTrue(ours.path("memory").path("usage").asLong() > 0, ours::toString);
        assertEquals("running", ours.path("Status").asText(), ours::toString);
    }

    @Test
    void homepagesCallsThroughDockerPyAndDockerJava() throws Exception {
        It.Result read = It.run(new ProcessBuilder("/usr/bin/python3", "src/test/clients/docker-py/homepage.py",
                host("homepage"), NAME).redirectInput(new File("/dev/null")), It.CLI_TIMEOUT);
        assertEquals(0, read.exit(), read::toString);
        JsonNode shown = JSON.readTree(read.out());
        assertTrue(shown.path("listed").toString().contains(NAME), read::toString);
        assertEquals("running", shown.path("status").asText(), read::toString);
        assertTrue(shown.path("memory").asLong() > 0, read::toString);

        try (DockerClient java = It.dockerJava(host("homepage"))) {
            assertTrue(java.listContainersCmd().withShowAll(true).exec().stream().anyMatch(c -> c.getId().equals(id)));
            assertEquals("/" + NAME, java.inspectContainerCmd(NAME).exec().getName());
            Statistics stats = java.statsCmd(id).withNoStream(true).exec(new StatsCallback()).awaitStats();
            assertTrue(stats.getMemoryStats().getUsage() > 0, stats::toString);
        }
    }

    @Test
    void traefikDozzleAndPortainerReadsThroughTheDockerCli() throws Exception {
        long since = System.currentTimeMillis() / 1000 - 600;
        long until = System.currentTimeMillis() / 1000 + 1;
        for (String preset : List.of("traefik", "dozzle", "portainer-readonly")) {
            It.Result ps = cli(preset, "ps", "--format", "{{.Names}}");
            assertEquals(0, ps.exit(), () -> preset + ": " + ps);
            assertTrue(ps.out().contains(NAME), () -> preset + ": " + ps);
            It.Result inspect = cli(preset, "inspect", "--format", "{{.Config.Labels}} {{.Config.Env}}", NAME);
            assertEquals(0, inspect.exit(), () -> preset + ": " + inspect);
            assertTrue(inspect.out().contains("app:preset"), () -> preset + ": " + inspect);
            assertTrue(!inspect.out().contains("hunter2"), () -> preset + " shows no environment value: " + inspect);
            It.Result events = cli(preset, "events", "--since", Long.toString(since), "--until", Long.toString(until),
                    "--filter", "container=" + id);
            assertEquals(0, events.exit(), () -> preset + ": " + events);
            assertTrue(events.out().contains("start"), () -> preset + ": " + events);
            It.Result stop = cli(preset, "stop", NAME);
            assertNotEquals(0, stop.exit(), () -> preset + " may not stop: " + stop);
            assertTrue(stop.err().contains("dockgate"), () -> preset + ": " + stop);
        }
        It.Result logs = cli("dozzle", "logs", NAME);
        assertEquals(0, logs.exit(), logs::toString);
        assertTrue(logs.out().contains("hello from preset"), logs::toString);
        It.Result stats = cli("dozzle", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", NAME);
        assertEquals(0, stats.exit(), stats::toString);
        assertTrue(stats.out().startsWith(NAME), stats::toString);
        for (String[] read : List.of(new String[] {"images"}, new String[] {"volume", "ls"},
                new String[] {"network", "ls"}, new String[] {"info"})) {
            It.Result shown = cli("portainer-readonly", read);
            assertEquals(0, shown.exit(), () -> String.join(" ", read) + ": " + shown);
        }
        assertTrue(daemon.inspectContainerCmd(NAME).exec().getState().getRunning(), "nothing stopped it");
    }

    @Test
    void prometheusDiscoversWhatItDiscoversDirectly() throws Exception {
        Path dir = Files.createTempDirectory("dg-prom-preset");
        try (PrometheusSd prometheus = PrometheusSd.start(dir, Map.of("direct", "unix://" + It.socket(),
                "preset", host("prometheus")))) {
            assertTrue(It.await(Duration.ofSeconds(60), () -> prometheus.discovered("direct").containsKey(id)
                    && prometheus.discovered("preset").containsKey(id)), "both jobs discover the container:\n" + prometheus.log());
            Map<String, String> direct = new LinkedHashMap<>(prometheus.discovered("direct").get(id));
            Map<String, String> through = new LinkedHashMap<>(prometheus.discovered("preset").get(id));
            direct.remove("job");
            through.remove("job");
            assertEquals(direct, through);
            assertEquals(List.of(), prometheus.complaints());
        }
    }

    @Test
    void netdataNamesContainersByTheirInspect() throws Exception {
        // Netdata's own cgroup-name.sh, which names each container's cgroup: it runs docker inspect (the
        // CLI, through DOCKER_HOST) and reads the name, and the environment for names set there.
        ProcessBuilder name = new ProcessBuilder("/usr/lib/netdata/plugins.d/cgroup-name.sh", "/docker/" + id,
                "docker_" + id).redirectInput(new File("/dev/null"));
        name.environment().put("DOCKER_HOST", host("netdata"));
        It.Result named = It.run(name, It.CLI_TIMEOUT);
        assertEquals(0, named.exit(), named::toString);
        assertEquals(NAME, named.out().strip(), named::toString);
        assertTrue(named.err().contains("is named '" + NAME + "'"), named::toString);
    }

    /** docker-java's one-shot stats, waited for. */
    static final class StatsCallback extends com.github.dockerjava.api.async.ResultCallback.Adapter<Statistics> {
        private volatile Statistics stats;
        private final java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void onNext(Statistics next) {
            stats = next;
            got.countDown();
        }

        Statistics awaitStats() throws InterruptedException {
            assertTrue(got.await(60, TimeUnit.SECONDS), "stats within 60 s");
            return stats;
        }
    }
}
