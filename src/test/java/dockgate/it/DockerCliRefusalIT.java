package dockgate.it;

import static dockgate.it.It.IMAGE;
import static dockgate.it.It.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dockgate.Gateway;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Docker CLI commands that would change the daemon: each is refused with the gateway's message, and the
 * daemon's containers, images, networks and volumes (read directly) are exactly as before.
 */
@Timeout(120)
class DockerCliRefusalIT {
    static MadeOnTheDaemon made;
    static DockerClient daemon;
    static Gateway gateway;
    static int port;
    static String u;
    static String stoppedName;
    static String stoppedId;
    static String runningName;
    static String runningId;
    static String tagRef;

    @BeforeAll
    static void start() throws Exception {
        made = new MadeOnTheDaemon();
        daemon = made.daemon;
        u = made.u;
        // Made directly on the daemon: targets the refused commands would change if they got through.
        stoppedName = made.name("stopped");
        stoppedId = made.container("stopped", "true");
        runningName = made.name("running");
        runningId = made.container("running", "sleep", "3600");
        daemon.startContainerCmd(runningId).exec();
        tagRef = made.tag("dockgate-it/rmi", u);
        gateway = It.startGateway();
        port = gateway.port();
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) gateway.close();
        if (made != null) made.close();
    }

    /** Runs a docker command through the gateway; asserts refusal and an untouched daemon. */
    static It.Result refused(String... args) throws Exception {
        It.DaemonState before = It.DaemonState.read(daemon);
        It.Result r = It.docker(port, args);
        It.DaemonState after = It.DaemonState.read(daemon);
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
        assertEquals(stoppedId, daemon.inspectContainerCmd(stoppedName).exec().getId());
    }

    @Test
    void rmiOfATag() throws Exception {
        refused("rmi", tagRef);
        daemon.inspectImageCmd(tagRef).exec(); // still there
    }

    @Test
    void execInARunningContainer() throws Exception {
        refused("exec", runningName, "true");
        assertTrue(daemon.inspectContainerCmd(runningId).exec().getState().getRunning());
    }

    @Test
    void networkCreate() throws Exception {
        refused("network", "create", "dockgate-it-" + u + "-net");
    }

    @Test
    void volumeCreate() throws Exception {
        refused("volume", "create", "dockgate-it-" + u + "-vol");
    }
}
