package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The docker CLI's `inspect NAME` under the shipped rules, on TCP and a Unix listener: it asks for a
 * container of that name first, then an image, network, volume and plugin, and goes on only past a 404.
 * An image is found; a name nothing has is "No such object", as against the daemon; a container's
 * environment shows its names, not its values.
 */
@Timeout(120)
class InspectIT {
    static Gateway gateway;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("dg-inspect");
        gateway = Gateway.start(new Config(List.of(ListenSpec.tcp("127.0.0.1", 0),
                ListenSpec.unix(dir.resolve("g.sock"), 0600, null)), It.socket(), Rulebook.builtIn(),
                Config.DEFAULT_DAEMON_TIMEOUT, Limits.DEFAULTS, Config.defaultAllowFrom("127.0.0.1"), null, null, null));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    static String host(String transport) {
        return transport.equals("tcp") ? "tcp://127.0.0.1:" + gateway.port() : "unix://" + dir.resolve("g.sock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void inspectOfAnImageFindsTheImage(String transport) throws Exception {
        It.Result r = It.run(It.cliAt(host(transport), "inspect", "--format", "{{.RepoTags}}", IMAGE), It.CLI_TIMEOUT);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains(IMAGE), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void inspectOfAContainerShowsNoSecretValue(String transport) throws Exception {
        String name = "dockgate-it-secret-" + transport + "-" + It.unique();
        It.Result made = It.run(It.cliAt("unix://" + It.socket(), "create", "--name", name, "--network", "none",
                "-e", "DB_PASSWORD=hunter2", IMAGE, "true"), It.CLI_TIMEOUT);
        assertEquals(0, made.exit(), made::toString);
        try {
            It.Result r = It.run(It.cliAt(host(transport), "inspect", name), It.CLI_TIMEOUT);
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("\"DB_PASSWORD=<redacted>\""), r::toString);
            assertFalse(r.out().contains("hunter2"), r::toString);
            assertTrue(r.out().contains("\"Name\": \"/" + name + "\""), "the rest of the answer is there: " + r);
        } finally {
            It.run(It.cliAt("unix://" + It.socket(), "rm", "-f", name), It.CLI_TIMEOUT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void inspectOfANameNothingHasSaysNoSuchObject(String transport) throws Exception {
        String name = "dockgate-it-nosuch-" + It.unique();
        It.Result through = It.run(It.cliAt(host(transport), "inspect", name), It.CLI_TIMEOUT);
        It.Result direct = It.run(It.cliAt("unix://" + It.socket(), "inspect", name), It.CLI_TIMEOUT);
        assertNotEquals(0, through.exit(), through::toString);
        assertTrue(through.err().contains("No such object: " + name), through::toString);
        assertEquals(direct.err().strip(), through.err().strip(), "the same words as against the daemon");
    }
}
