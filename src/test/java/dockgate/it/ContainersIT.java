package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Rulebook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Testcontainers, the real library in a JVM of its own, through conf/examples/containers.rules against the
 * real daemon: it starts a container from the offline image, and its request for a privileged container
 * is refused with the check's message, leaving nothing behind.
 */
@Timeout(240)
class ContainersIT {
    static DockerClient daemon;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        daemon = It.daemon();
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(),
                Rulebook.load(Path.of("conf/examples/containers.rules"))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (daemon != null) daemon.close();
    }

    @Test
    void testcontainersRunsAContainerAndIsRefusedAPrivilegedOne() throws Exception {
        It.DaemonState before = It.DaemonState.read(daemon);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder client = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TestcontainersClient.class.getName(), IMAGE);
        client.environment().put("DOCKER_HOST", "tcp://127.0.0.1:" + gateway.port());
        client.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        client.environment().put("TESTCONTAINERS_CHECKS_DISABLE", "true");
        client.environment().remove("DOCKER_CONTEXT");
        client.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        It.Result run = It.run(client, Duration.ofSeconds(180));
        assertEquals(0, run.exit(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("started [0-9a-f]{64}")), run::toString);
        assertTrue(lines.contains("running true"), run::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("privileged refused: ")
                && l.contains("refused by check 'privileged' of checks ci")), run::toString);
        assertEquals(before, It.DaemonState.read(daemon), "Testcontainers left something behind, or made the privileged one");
    }
}
