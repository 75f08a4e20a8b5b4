package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit mode with the real docker CLI against the real daemon: the default rules refuse {@code docker run},
 * audit mode lets it through and learns the rules it needs, and those rules, enforced by a fresh gateway,
 * let the same commands succeed while still refusing others.
 */
@Timeout(300)
class AuditModeIT {

    @TempDir
    Path dir;

    private final DockerClient daemon = It.daemon();
    private final String u = It.unique();
    private final List<String> containers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        containers.forEach(name -> It.removeContainerQuietly(daemon, name));
        daemon.close();
    }

    /** The commands whose needs are learned; run the same way through both gateways. */
    private List<It.Result> commands(int port, String round) throws Exception {
        String detached = "dockgate-it-" + u + "-" + round + "-d";
        String attached = "dockgate-it-" + u + "-" + round + "-a";
        containers.add(detached);
        containers.add(attached);
        List<It.Result> results = new ArrayList<>();
        results.add(It.docker(port, "ps"));
        results.add(It.docker(port, "images"));
        results.add(It.docker(port, "inspect", IMAGE));
        results.add(It.docker(port, "run", "--rm", "-d", "--name", detached, "--network", "none", IMAGE, "true"));
        results.add(It.docker(port, "run", "--rm", "--name", attached, "--network", "none", IMAGE, "true"));
        return results;
    }

    private static void assertCommandsWork(List<It.Result> results, String gateway) {
        for (int i = 0; i < 4; i++) {
            assertEquals(0, results.get(i).exit(), gateway + ", command " + i + ":\n" + results.get(i));
        }
        assertTrue(results.get(3).out().strip().matches("[0-9a-f]{64}"), results.get(3).toString());
        // An attached run needs a connection upgrade, which the gateway does not relay in any mode: refused
        // by the screen after the container was created, never by the rules.
        It.Result attached = results.get(4);
        assertNotEquals(0, attached.exit(), attached.toString());
        assertTrue(attached.err().contains("unable to upgrade to tcp, received 403"), gateway + ":\n" + attached);
        assertFalse(attached.err().contains(It.REFUSED), gateway + ":\n" + attached);
    }

    @Test
    void theRulesLearnedFromTheDockerCliLetTheSameCommandsSucceed() throws Exception {
        Path learned = dir.resolve("learned.rules");
        try (Gateway strict = It.startGateway()) {
            It.Result refused = It.docker(strict.port(), "run", "--rm", "-d", "--network", "none", IMAGE, "true");
            assertTrue(refused.err().contains("POST /v1.41/containers/create " + It.REFUSED), refused.toString());
        }

        try (Gateway audit = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.builtIn())
                .withAuditRules(learned))) {
            assertCommandsWork(commands(audit.port(), "audit"), "audit mode");
        }
        String text = Files.readString(learned);
        Path keep = Path.of("target", "audit");
        Files.createDirectories(keep);
        Files.copy(learned, keep.resolve("docker-cli.rules"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("--- rules learned from docker ps, images, inspect, run:\n" + text);
        for (String line : List.of("\nGET,HEAD  /_ping\n", "\nGET       /containers/json\n", "\nPOST      /containers/create   checks=learned\n",
                "\nchecks learned\n    images docker.io/local/busybox:test\n",
                "\nPOST      /containers/{id}/start\n", "\nPOST      /containers/{id}/wait\n",
                "\nGET       /images/json\n", "\nGET       /images/{name}/json\n")) {
            assertTrue(text.contains(line), "missing " + line.strip() + " in\n" + text);
        }
        assertFalse(text.lines().anyMatch(line -> !line.startsWith("#") && line.contains("/attach")),
                "the refused attach is not learned:\n" + text);
        assertTrue(text.contains("\n#   1 call: POST /containers/{id}/attach, e.g. POST /v1.41/containers/"), text);
        assertTrue(text.contains("\n#     to allow it: POST /containers/{id}/attach   hijack\n"), text);

        Profile rules = Profile.load(learned);
        try (Gateway enforcing = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), rules))) {
            assertCommandsWork(commands(enforcing.port(), "enforce"), "enforcing the learned rules");
            It.Result neighbour = It.docker(enforcing.port(), "volume", "create", "dockgate-it-" + u);
            assertTrue(neighbour.err().contains("POST /v1.41/volumes/create " + It.REFUSED), neighbour.toString());
        }
    }

    /**
     * An attached run through a hijack rule is learned with hijack: without it, the learned rules refused
     * the attach ("unable to upgrade to tcp, received 403", as docker-compose run said).
     */
    @Test
    void anAttachRelayedAsARawStreamIsLearnedWithHijack() throws Exception {
        Path learned = dir.resolve("attach.rules");
        Profile hijack = Profile.parse("hijack.rules", "GET,HEAD /_ping\nPOST /containers/{id}/attach   hijack\n");
        String name = "dockgate-it-" + u + "-attach";
        containers.add(name);
        try (Gateway audit = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), hijack).withAuditRules(learned))) {
            It.Result run = It.docker(audit.port(), "run", "--rm", "--name", name, "--network", "none", IMAGE, "echo", "attached");
            assertEquals(0, run.exit(), run.toString());
            assertEquals("attached", run.out().strip(), run.toString());
        }
        String text = Files.readString(learned);
        assertTrue(text.contains("\nPOST      /containers/{id}/attach   hijack\n"), text);
        try (Gateway enforcing = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.load(learned)))) {
            It.Result run = It.docker(enforcing.port(), "run", "--rm", "--name", name + "2", "--network", "none", IMAGE,
                    "echo", "again");
            containers.add(name + "2");
            assertEquals(0, run.exit(), "enforcing the learned rules:\n" + run + "\n" + text);
            assertEquals("again", run.out().strip(), run.toString());
        }
    }

    /**
     * docker-py agrees on the API version through /version and never calls /_ping; the file learned from it
     * must still serve the docker CLI, which pings first (without /_ping: "client version ... is too new").
     */
    @Test
    void aFileLearnedFromDockerPyServesDockerPsFromTheCli() throws Exception {
        Path learned = dir.resolve("docker-py.rules");
        try (Gateway audit = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.builtIn())
                .withAuditRules(learned))) {
            It.Result list = It.run(new ProcessBuilder("/usr/bin/python3", "-c", "import docker, sys\n"
                    + "client = docker.DockerClient(base_url=sys.argv[1], version='auto')\n"
                    + "print(len(client.containers.list(all=True)))\n", "tcp://127.0.0.1:" + audit.port()), It.CLI_TIMEOUT);
            assertEquals(0, list.exit(), "docker-py (python3-docker, installed by scripts/test):\n" + list);
        }
        String text = Files.readString(learned);
        assertTrue(text.contains("# No call used it; written all the same: docker clients call /_ping first"), text);
        assertTrue(text.contains("\nGET,HEAD  /_ping\n"), text);
        assertTrue(text.contains("\nGET       /version\n"), text);
        try (Gateway enforcing = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.load(learned)))) {
            It.Result ps = It.docker(enforcing.port(), "ps", "-a");
            assertEquals(0, ps.exit(), "docker ps through the rules learned from docker-py:\n" + ps + "\n" + text);
            assertTrue(ps.out().startsWith("CONTAINER ID"), ps.toString());
        }
    }
}
