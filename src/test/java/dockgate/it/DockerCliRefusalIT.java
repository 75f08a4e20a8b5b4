package dockgate.it;

import static dockgate.it.It.IMAGE;
import static dockgate.it.It.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Gateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Docker CLI commands that would change the daemon: each is refused with the gateway's message, and the
 * daemon's containers, images, networks and volumes (read directly) are exactly as before.
 */
@Timeout(120)
class DockerCliRefusalIT {
    @RegisterExtension
    static final MadeOnTheDaemon made = new MadeOnTheDaemon();

    static Gateway gateway;
    static int port;
    static String stoppedName;
    static String stoppedId;
    static String runningName;
    static String runningId;
    static String tagRef;

    @BeforeAll
    static void start() throws Exception {
        // Made directly on the daemon: targets the refused commands would change if they got through.
        stoppedName = made.name("stopped");
        stoppedId = made.container("stopped", "true");
        runningName = made.name("running");
        runningId = made.container("running", "sleep", "3600");
        made.daemon().startContainerCmd(runningId).exec();
        tagRef = made.tag("dockgate-it/rmi", made.u());
        gateway = made.gateway();
        port = gateway.port();
    }

    /** Runs a docker command through the gateway; asserts refusal and an untouched daemon. */
    static It.Result refused(String... args) throws Exception {
        It.DaemonState before = It.DaemonState.read(made.daemon());
        It.Result r = It.docker(port, args);
        It.DaemonState after = It.DaemonState.read(made.daemon());
        String cmd = "docker " + String.join(" ", args);
        assertNotEquals(0, r.exit(), () -> cmd + "\n" + r);
        assertTrue(r.err().contains("Error response from daemon: dockgate: "), () -> cmd + "\n" + r);
        assertTrue(r.err().contains(REFUSED), () -> cmd + "\n" + r);
        assertEquals(before, after, () -> cmd + " changed the daemon");
        return r;
    }

    @Test
    void run() throws Exception {
        It.Result r = refused("run", "--rm", IMAGE, "true");
        assertTrue(r.err().contains("/containers/create"), r::toString);
    }

    @Test
    void create() throws Exception {
        refused("create", IMAGE);
    }

    @Test
    void pullIsRefusedBeforeAnyRegistryAccess() throws Exception {
        It.Result r = refused("pull", "busybox");
        assertTrue(r.err().contains("/images/create"), r::toString);
    }

    @Test
    void rmOfAStoppedContainer() throws Exception {
        refused("rm", stoppedName);
        assertEquals(stoppedId, made.daemon().inspectContainerCmd(stoppedName).exec().getId());
    }

    @Test
    void rmiOfATag() throws Exception {
        refused("rmi", tagRef);
        made.daemon().inspectImageCmd(tagRef).exec(); // still there
    }

    @Test
    void execInARunningContainer() throws Exception {
        refused("exec", runningName, "true");
        assertTrue(made.daemon().inspectContainerCmd(runningId).exec().getState().getRunning());
    }

    @Test
    void networkCreate() throws Exception {
        refused("network", "create", "dockgate-it-" + made.u() + "-net");
    }

    @Test
    void volumeCreate() throws Exception {
        refused("volume", "create", "dockgate-it-" + made.u() + "-vol");
    }
}
