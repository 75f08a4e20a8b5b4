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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two owner-isolated tenants of one real daemon, alpha and beta, each on its own listener bound to its
 * profile of conf/examples/tenants.rules (a Unix socket each, and a TCP port each), driven by the docker
 * CLI: each sees and touches only its own containers and volumes; the other's are missing, as the daemon
 * words it, and stay as they were.
 */
@Timeout(240)
class TenantsIT {
    static Gateway gateway;
    static Path dir;
    static final DockerClient daemon = It.daemon();
    static final String RUN = It.unique();
    static int betaPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("dg-tenants");
        betaPort = It.freePort();
        gateway = Gateway.start(new Config(List.of(
                ListenSpec.tcp("127.0.0.1", 0).withProfile("alpha"),
                ListenSpec.tcp("127.0.0.1", betaPort).withProfile("beta"),
                ListenSpec.unix(dir.resolve("alpha.sock"), 0600, null).withProfile("alpha"),
                ListenSpec.unix(dir.resolve("beta.sock"), 0600, null).withProfile("beta")), It.socket(),
                Rulebook.load(Path.of("conf/examples/tenants.rules")), Config.DEFAULT_DAEMON_TIMEOUT, Limits.DEFAULTS,
                Config.defaultAllowFrom("127.0.0.1"), null, null, null));
    }

    @AfterAll
    static void stop() {
        for (String transport : List.of("unix", "tcp")) {
            It.removeContainerQuietly(daemon, alpha(transport));
            It.removeContainerQuietly(daemon, beta(transport));
            try {
                daemon.removeVolumeCmd(betaVolume(transport)).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        if (gateway != null) gateway.close();
    }

    static String alpha(String transport) {
        return RUN + "-alpha-" + transport;
    }

    static String beta(String transport) {
        return RUN + "-beta-" + transport;
    }

    static String betaVolume(String transport) {
        return RUN + "-betavol-" + transport;
    }

    static It.Result as(String tenant, String transport, String... args) throws Exception {
        String host = transport.equals("unix") ? "unix://" + dir.resolve(tenant + ".sock")
                : "tcp://127.0.0.1:" + (tenant.equals("alpha") ? gateway.port() : betaPort);
        return It.run(It.cliAt(host, args), It.CLI_TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void eachTenantSeesAndTouchesOnlyItsOwn(String transport) throws Exception {
        String alphaName = alpha(transport);
        String betaName = beta(transport);
        long since = System.currentTimeMillis() / 1000 - 1;
        It.Result run = as("alpha", transport, "run", "-d", "--name", alphaName, "--network", "none", "--label", "dockgate.owner=beta", IMAGE, "sleep", "600");
        assertEquals(0, run.exit(), run::toString);
        run = as("beta", transport, "run", "-d", "--name", betaName, "--network", "none", IMAGE, "sleep", "600");
        assertEquals(0, run.exit(), run::toString);
        // The owner's label is stamped over the one the client gave.
        assertEquals("alpha", daemon.inspectContainerCmd(alphaName).exec().getConfig().getLabels().get("dockgate.owner"));
        assertEquals("beta", daemon.inspectContainerCmd(betaName).exec().getConfig().getLabels().get("dockgate.owner"));

        It.Result ps = as("alpha", transport, "ps", "-a", "--format", "{{.Names}}");
        assertEquals(0, ps.exit(), ps::toString);
        assertEquals(alphaName + "\n", ps.out(), ps::toString);

        It.Result inspect = as("alpha", transport, "inspect", betaName);
        assertNotEquals(0, inspect.exit(), inspect::toString);
        assertTrue(inspect.err().contains("No such object: " + betaName), inspect::toString);
        String betaId = daemon.inspectContainerCmd(betaName).exec().getId();
        assertTrue(as("alpha", transport, "inspect", betaId.substring(0, 12)).err().contains("No such object"), "by id too");

        // The CLI's rm -f prints a missing container's error and exits 0, as it does against the daemon.
        It.Result rm = as("alpha", transport, "rm", "-f", betaName);
        assertTrue(rm.err().contains("No such container: " + betaName), rm::toString);
        InspectContainerResponse still = daemon.inspectContainerCmd(betaName).exec();
        assertTrue(still.getState().getRunning(), "beta's container still runs");

        long until = System.currentTimeMillis() / 1000 + 1;
        It.Result events = as("alpha", transport, "events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        assertEquals(0, events.exit(), events::toString);
        assertTrue(events.out().contains("container start " + alphaName), events::toString);
        assertFalse(events.out().contains(betaName), events::toString);

        // Its own container, by name: sent by id, so stop, start and logs reach it.
        assertEquals(0, as("alpha", transport, "stop", "-t", "0", alphaName).exit());
        assertEquals(0, as("alpha", transport, "start", alphaName).exit());
        assertEquals(0, as("alpha", transport, "logs", alphaName).exit());
        // Attached: create, attach (a raw stream), start and wait, each on its own container.
        It.Result attached = as("alpha", transport, "run", "--rm", "--network", "none", IMAGE, "echo", "hello from alpha");
        assertEquals(0, attached.exit(), attached::toString);
        assertEquals("hello from alpha\n", attached.out(), attached::toString);

        It.Result removed = as("beta", transport, "rm", "-f", betaName);
        assertEquals(0, removed.exit(), removed::toString);
        assertTrue(daemon.listContainersCmd().withShowAll(true).exec().stream()
                .noneMatch(c -> c.getId().equals(betaId)), "beta removed its own");
        assertEquals(0, as("alpha", transport, "rm", "-f", alphaName).exit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void aTenantMayNotMountTheOthersVolume(String transport) throws Exception {
        String volume = betaVolume(transport);
        It.Result created = as("beta", transport, "volume", "create", volume);
        assertEquals(0, created.exit(), created::toString);
        It.Result ls = as("alpha", transport, "volume", "ls", "--format", "{{.Name}}");
        assertEquals(0, ls.exit(), ls::toString);
        assertFalse(ls.out().contains(volume), ls::toString);
        It.Result run = as("alpha", transport, "run", "--rm", "--network", "none", "-v", volume + ":/data", IMAGE, "ls", "/data");
        assertNotEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("the volume " + volume + " named in the body is outside the scope of profile alpha"),
                run::toString);
        It.Result fresh = as("alpha", transport, "run", "--rm", "--network", "none", "-v", It.unique() + ":/data", IMAGE, "true");
        assertNotEquals(0, fresh.exit(), fresh::toString);
        assertTrue(fresh.err().contains("create it first"), fresh::toString);
        assertEquals(0, as("beta", transport, "volume", "rm", volume).exit());
    }
}
