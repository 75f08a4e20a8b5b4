package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;
import dockgate.policy.Rulebook;
import dockgate.server.Limits;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docker-compose 1.29 through the compose preset (conf/presets/compose.rules, the same rules as conf/examples/compose.rules), over a Unix socket listener, against the real
 * daemon: a project of two services and a named volume comes up with `up -d` and goes with `down -v`; a
 * project that asks for a privileged service is refused with the check's message and runs nothing.
 */
@Timeout(300)
class ComposeIT {
    static DockerClient daemon;
    static Gateway gateway;
    static Path dir;
    static String project;

    @BeforeAll
    static void start() throws Exception {
        daemon = It.daemon();
        project = "dgc" + It.unique().replaceAll("[^a-z0-9]", "");
        dir = Files.createTempDirectory("dg-compose");
        gateway = Gateway.start(new Config(List.of(ListenSpec.unix(dir.resolve("g.sock"), 0600, null)), It.socket(),
                Rulebook.load(Path.of("conf/presets/compose.rules")), Config.DEFAULT_DAEMON_TIMEOUT, Limits.DEFAULTS,
                Config.defaultAllowFrom("127.0.0.1"), null, null, null));
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    image: IMAGE
                    command: sleep 300
                  worker:
                    image: IMAGE
                    command: sleep 300
                    volumes:
                      - scratch:/scratch
                volumes:
                  scratch: {}
                """.replace("IMAGE", IMAGE));
        Files.writeString(dir.resolve("privileged.yml"), """
                version: "2.4"
                services:
                  root:
                    image: IMAGE
                    command: sleep 300
                    privileged: true
                """.replace("IMAGE", IMAGE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir != null) {
            It.run(compose("-f", "docker-compose.yml", "down", "-v"), It.CLI_TIMEOUT);
            It.run(compose("-f", "privileged.yml", "down", "-v"), It.CLI_TIMEOUT);
        }
        if (gateway != null) gateway.close();
        if (daemon != null) daemon.close();
    }

    static ProcessBuilder compose(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "-p", project));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().put("DOCKER_HOST", "unix://" + dir.resolve("g.sock"));
        pb.environment().remove("DOCKER_CONTEXT");
        return pb;
    }

    private static List<Container> projectContainers() {
        return daemon.listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of("com.docker.compose.project", project)).exec();
    }

    @Test
    void upAndDownOfAProject() throws Exception {
        It.Result up = It.run(compose("-f", "docker-compose.yml", "up", "-d"), It.CLI_TIMEOUT);
        assertEquals(0, up.exit(), up::toString);
        List<Container> running = projectContainers();
        assertEquals(2, running.size(), running::toString);
        assertTrue(running.stream().allMatch(c -> c.getState().equals("running")), running::toString);
        assertTrue(running.stream().allMatch(c -> "compose".equals(c.getLabels().get("dockgate.profile"))),
                "the gateway stamped its label on each container");
        assertTrue(daemon.listVolumesCmd().exec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals(project + "_scratch")), "the named volume was made");

        It.Result down = It.run(compose("-f", "docker-compose.yml", "down", "-v"), It.CLI_TIMEOUT);
        assertEquals(0, down.exit(), down::toString);
        assertEquals(List.of(), projectContainers());
        assertTrue(daemon.listVolumesCmd().exec().getVolumes().stream()
                .noneMatch(v -> v.getName().equals(project + "_scratch")), "the named volume is gone");
        assertTrue(daemon.listNetworksCmd().exec().stream().noneMatch(n -> n.getName().equals(project + "_default")),
                "the project's network is gone");
    }

    @Test
    void aPrivilegedServiceIsRefusedAndNothingRuns() throws Exception {
        It.Result up = It.run(compose("-f", "privileged.yml", "up", "-d"), It.CLI_TIMEOUT);
        assertNotEquals(0, up.exit(), up::toString);
        assertTrue(up.err().contains("refused by check 'privileged' of checks compose"), up::toString);
        assertEquals(List.of(), projectContainers());
    }
}
