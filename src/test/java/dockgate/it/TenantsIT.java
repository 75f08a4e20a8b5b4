package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;
import dockgate.policy.Rulebook;
import dockgate.server.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two owner-isolated tenants of one real daemon, alpha and beta, each on its own Unix listener bound to its
 * profile of conf/examples/tenants.rules, driven by the docker CLI: each sees and touches only its own
 * containers and volumes; the other's are missing, as the daemon words it, and stay as they were.
 */
@Timeout(240)
class TenantsIT {
    static Gateway gateway;
    static Path dir;
    static final DockerClient daemon = It.daemon();
    static final String ALPHA = It.unique() + "-alpha";
    static final String BETA = It.unique() + "-beta";
    static final String BETA_VOLUME = It.unique() + "-betavol";

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("dg-tenants");
        gateway = Gateway.start(new Config(List.of(
                ListenSpec.unix(dir.resolve("alpha.sock"), 0600, null).withProfile("alpha"),
                ListenSpec.unix(dir.resolve("beta.sock"), 0600, null).withProfile("beta")), It.socket(),
                Rulebook.load(Path.of("conf/examples/tenants.rules")), Config.DEFAULT_DAEMON_TIMEOUT, Limits.DEFAULTS,
                Config.defaultAllowFrom("127.0.0.1"), null, null, null));
    }

    @AfterAll
    static void stop() {
        It.removeContainerQuietly(daemon, ALPHA);
        It.removeContainerQuietly(daemon, BETA);
        try {
            daemon.removeVolumeCmd(BETA_VOLUME).exec();
        } catch (RuntimeException ignored) {
            // already gone
        }
        if (gateway != null) gateway.close();
    }

    static It.Result as(String tenant, String... args) throws Exception {
        return It.run(It.cliAt("unix://" + dir.resolve(tenant + ".sock"), args), It.CLI_TIMEOUT);
    }

    @Test
    void eachTenantSeesAndTouchesOnlyItsOwn() throws Exception {
        long since = System.currentTimeMillis() / 1000 - 1;
        It.Result run = as("alpha", "run", "-d", "--name", ALPHA, "--network", "none", "--label", "dockgate.owner=beta", IMAGE, "sleep", "600");
        assertEquals(0, run.exit(), run::toString);
        run = as("beta", "run", "-d", "--name", BETA, "--network", "none", IMAGE, "sleep", "600");
        assertEquals(0, run.exit(), run::toString);
        // The owner's label is stamped over the one the client gave.
        assertEquals("alpha", daemon.inspectContainerCmd(ALPHA).exec().getConfig().getLabels().get("dockgate.owner"));
        assertEquals("beta", daemon.inspectContainerCmd(BETA).exec().getConfig().getLabels().get("dockgate.owner"));

        It.Result ps = as("alpha", "ps", "-a", "--format", "{{.Names}}");
        assertEquals(0, ps.exit(), ps::toString);
        assertEquals(ALPHA + "\n", ps.out(), ps::toString);

        It.Result inspect = as("alpha", "inspect", BETA);
        assertNotEquals(0, inspect.exit(), inspect::toString);
        assertTrue(inspect.err().contains("No such object: " + BETA), inspect::toString);
        String betaId = daemon.inspectContainerCmd(BETA).exec().getId();
        assertTrue(as("alpha", "inspect", betaId.substring(0, 12)).err().contains("No such object"), "by id too");

        // The CLI's rm -f prints a missing container's error and exits 0, as it does against the daemon.
        It.Result rm = as("alpha", "rm", "-f", BETA);
        assertTrue(rm.err().contains("No such container: " + BETA), rm::toString);
        InspectContainerResponse still = daemon.inspectContainerCmd(BETA).exec();
        assertTrue(still.getState().getRunning(), "beta's container still runs");

        long until = System.currentTimeMillis() / 1000 + 1;
        It.Result events = as("alpha", "events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        assertEquals(0, events.exit(), events::toString);
        assertTrue(events.out().contains("container start " + ALPHA), events::toString);
        assertFalse(events.out().contains(BETA), events::toString);

        // Its own container, by name: sent by id, so stop, start and logs reach it.
        assertEquals(0, as("alpha", "stop", "-t", "0", ALPHA).exit());
        assertEquals(0, as("alpha", "start", ALPHA).exit());
        assertEquals(0, as("alpha", "logs", ALPHA).exit());
        // Attached: create, attach (a raw stream), start and wait, each on its own container.
        It.Result attached = as("alpha", "run", "--rm", "--network", "none", IMAGE, "echo", "hello from alpha");
        assertEquals(0, attached.exit(), attached::toString);
        assertEquals("hello from alpha\n", attached.out(), attached::toString);

        It.Result removed = as("beta", "rm", "-f", BETA);
        assertEquals(0, removed.exit(), removed::toString);
        assertTrue(daemon.listContainersCmd().withShowAll(true).exec().stream()
                .noneMatch(c -> c.getId().equals(betaId)), "beta removed its own");
        assertEquals(0, as("alpha", "rm", "-f", ALPHA).exit());
    }

    @Test
    void aTenantMayNotMountTheOthersVolume() throws Exception {
        It.Result created = as("beta", "volume", "create", BETA_VOLUME);
        assertEquals(0, created.exit(), created::toString);
        It.Result ls = as("alpha", "volume", "ls", "--format", "{{.Name}}");
        assertEquals(0, ls.exit(), ls::toString);
        assertFalse(ls.out().contains(BETA_VOLUME), ls::toString);
        It.Result run = as("alpha", "run", "--rm", "--network", "none", "-v", BETA_VOLUME + ":/data", IMAGE, "ls", "/data");
        assertNotEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("the volume " + BETA_VOLUME + " named in the body is outside the scope of profile alpha"),
                run::toString);
        It.Result fresh = as("alpha", "run", "--rm", "--network", "none", "-v", It.unique() + ":/data", IMAGE, "true");
        assertNotEquals(0, fresh.exit(), fresh::toString);
        assertTrue(fresh.err().contains("create it first"), fresh::toString);
        assertEquals(0, as("beta", "volume", "rm", BETA_VOLUME).exit());
    }
}
