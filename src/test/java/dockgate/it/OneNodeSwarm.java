package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The private daemon as a one-node swarm, for the tests that need one, and back as it was after.
 *
 * <p>The other integration tests run in the same JVM, one class after another, and snapshot the daemon's
 * containers and networks: a swarm leaves an ingress network, a docker_gwbridge network and its task
 * containers behind for a while after it is left. So {@link #leave()} waits until no task container is
 * left and the network list is the one {@link #init()} found, removing docker_gwbridge itself.
 */
final class OneNodeSwarm {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final String host = "unix://" + It.socket();
    private Set<String> networksBefore;

    /** Makes the daemon a swarm manager; a swarm left over from an aborted run is left first. */
    void init() throws Exception {
        if (!"inactive".equals(state())) leaveAndWait();
        networksBefore = networks();
        It.Result r = daemon("swarm", "init", "--advertise-addr", "127.0.0.1");
        assertEquals(0, r.exit(), r::toString);
    }

    /** Leaves the swarm and waits until the daemon is as it was before {@link #init()}. */
    void leave() throws Exception {
        leaveAndWait();
        if (networksBefore != null && !networksBefore.contains("docker_gwbridge")) {
            // The daemon refuses to remove it while the ingress sandbox it served is still being torn down.
            assertTrue(It.await(SETTLE, () -> !networks().contains("docker_gwbridge")
                    || daemon("network", "rm", "docker_gwbridge").exit() == 0),
                    () -> "docker_gwbridge stays: " + networks());
            assertEquals(networksBefore, networks(), "the networks after the swarm is left");
        }
    }

    private void leaveAndWait() throws Exception {
        It.Result r = daemon("swarm", "leave", "--force");
        assertTrue(r.exit() == 0 || r.err().contains("not part of a swarm"), r::toString);
        assertTrue(It.await(SETTLE, () -> "inactive".equals(state())), () -> "still in a swarm: " + state());
        assertTrue(It.await(SETTLE, () -> taskContainers().isEmpty()),
                () -> "task containers left: " + taskContainers());
    }

    /** The daemon's swarm state: inactive, pending, active, error or locked. */
    String state() {
        return out("info", "--format", "{{.Swarm.LocalNodeState}}");
    }

    private String taskContainers() {
        return out("ps", "-aq", "--filter", "label=com.docker.swarm.task.id");
    }

    private Set<String> networks() {
        return new TreeSet<>(out("network", "ls", "--format", "{{.Name}}").lines().toList());
    }

    It.Result daemon(String... args) {
        try {
            return It.run(It.cliAt(host, args), It.CLI_TIMEOUT);
        } catch (Exception e) {
            throw new IllegalStateException("docker " + String.join(" ", args), e);
        }
    }

    /** The trimmed output of a docker command on the daemon that must succeed. */
    String out(String... args) {
        It.Result r = daemon(args);
        assertEquals(0, r.exit(), () -> "docker " + String.join(" ", args) + ": " + r);
        return r.out().strip();
    }
}
