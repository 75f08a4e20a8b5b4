package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockgate as a global swarm service, deployed with {@code docker stack deploy} from conf/docker/stack.yaml
 * on a one-node swarm of the real daemon, with the image built offline: the node's gateway answers on the
 * socket file it makes in the host directory the stack mounts. Published ports do not reach a task here
 * (the daemon runs without iptables and without the userland proxy), so the socket directory is the way in.
 */
@Timeout(600)
class SwarmStackIT {
    static final Path STACK_FILE = Path.of("conf/docker/stack.yaml");
    static final Duration DEPLOY = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    static final OneNodeSwarm swarm = new OneNodeSwarm();
    static String host;
    static String stack;
    static Path socketDir;

    @BeforeAll
    static void deploy() throws Exception {
        host = "unix://" + It.socket();
        GatewayImage.build(host, dir);
        swarm.init();
        stack = "dg" + It.unique();
        // The image's user makes its socket file here: the directory is the host's, as on every node.
        socketDir = Files.createDirectory(dir.resolve("run-dockgate"));
        Files.setAttribute(socketDir, "unix:uid", ContainerImageIT.UID);
        ProcessBuilder deploy = It.cliAt(host, "stack", "deploy", "--detach=true", "--resolve-image", "never",
                "-c", STACK_FILE.toString(), stack);
        Map<String, String> env = deploy.environment();
        env.put("DOCKGATE_IMAGE", GatewayImage.IMAGE);
        env.put("DOCKER_GID", Files.getAttribute(It.socket(), "unix:gid").toString());
        env.put("DOCKER_SOCKET", It.socket().toString());
        env.put("DOCKGATE_SOCKET_DIR", socketDir.toString());
        It.Result deployed = It.run(deploy, It.CLI_TIMEOUT);
        assertEquals(0, deployed.exit(), deployed::toString);
        assertTrue(It.await(DEPLOY, () -> Files.exists(socketDir.resolve("docker.sock"))),
                () -> "no socket file in " + socketDir + ": " + swarm.daemon("service", "ps", "--no-trunc",
                        stack + "_dockgate") + swarm.daemon("service", "logs", stack + "_dockgate"));
    }

    @AfterAll
    static void remove() throws Exception {
        if (host == null) return;
        try {
            if (stack != null) {
                swarm.daemon("stack", "rm", stack);
                assertTrue(It.await(DEPLOY, () -> swarm.out("network", "ls", "-q", "--filter",
                        "label=com.docker.stack.namespace=" + stack).isEmpty()), "the stack's network stays");
            }
            swarm.leave();
        } finally {
            GatewayImage.remove(host);
        }
    }

    @Test
    void oneGatewayRunsOnTheNode() {
        assertEquals("global 1/1", swarm.out("service", "ls", "--filter", "name=" + stack + "_dockgate",
                "--format", "{{.Mode}} {{.Replicas}}"));
    }

    @Test
    void theNodesGatewayAnswersOnItsSocket() throws Exception {
        String gateway = "unix://" + socketDir.resolve("docker.sock");
        It.Result version = It.run(It.cliAt(gateway, "version", "--format", "{{.Server.Version}}"), It.CLI_TIMEOUT);
        assertEquals(0, version.exit(), version::toString);
        assertEquals(swarm.out("version", "--format", "{{.Server.Version}}"), version.out().strip());

        // The gateway's own task container is among the node's containers it lists.
        It.Result ps = It.run(It.cliAt(gateway, "ps", "--format", "{{.Names}}"), It.CLI_TIMEOUT);
        assertEquals(0, ps.exit(), ps::toString);
        assertTrue(ps.out().lines().anyMatch(n -> n.startsWith(stack + "_dockgate.")), ps::toString);

        It.Result create = It.run(It.cliAt(gateway, "create", It.IMAGE), It.CLI_TIMEOUT);
        assertTrue(create.exit() != 0 && create.err().contains(It.REFUSED), create::toString);
    }
}
