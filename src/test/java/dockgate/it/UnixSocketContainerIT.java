package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment the gateway is for: a container that gets the filtered socket bind-mounted as
 * /var/run/docker.sock, with the static docker CLI mounted in, can list containers and follow events, and
 * is refused {@code docker run}, with nothing changed on the daemon. The gateway runs as a user runs it, from
 * the built jar with {@code --listen unix:...}; the test container itself is started on the real daemon.
 */
@Timeout(180)
class UnixSocketContainerIT {

    private static final Path JAR = Path.of("target/dockgate.jar");
    /** Statically linked, so it runs in the busybox image. */
    private static final Path DOCKER_CLI = Path.of("/usr/local/bin/docker");

    @Test
    void aContainerOnTheFilteredSocketCanReadAndFollowButNotRun() throws Exception {
        assertTrue(Files.isRegularFile(DOCKER_CLI), "the static docker CLI " + DOCKER_CLI + " is missing");
        // Short: a Unix socket path has at most 107 bytes.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dgu");
        Path filtered = dir.resolve("filtered.sock");
        Path log = dir.resolve("dockgate.log");
        Process dockgate = new ProcessBuilder("java", "-jar", JAR.toString(),
                "--listen", "unix:" + filtered + ",mode=0660,group=root", "--socket", It.socket().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DockerClient daemon = It.daemon();
        String name = "dockgate-it-" + It.unique() + "-inside";
        String id = null;
        try {
            assertTrue(It.await(Duration.ofSeconds(30), () -> read(log).contains("listening on unix:" + filtered)),
                    () -> "dockgate did not start:\n" + read(log));
            assertEquals("rw-rw----", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(filtered, LinkOption.NOFOLLOW_LINKS)));
            It.DaemonState before = It.DaemonState.read(daemon);

            String script = String.join("\n",
                    "echo '$ docker ps'",
                    "docker ps; echo \"(exit $?)\"",
                    "now=$(date +%s)",
                    "echo '$ docker events --since <5 minutes ago> --until <in 2s> --filter container=" + name + "'",
                    "docker events --since $((now-300)) --until $((now+2)) --filter container=" + name
                            + " --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'; echo \"(exit $?)\"",
                    "echo '$ docker run --rm --network none " + It.IMAGE + " echo escaped'",
                    "docker run --rm --network none " + It.IMAGE + " echo escaped; echo \"(exit $?)\"");
            id = daemon.createContainerCmd(It.IMAGE).withName(name)
                    .withCmd("sh", "-c", script)
                    .withEnv("DOCKER_CONFIG=/tmp/docker-config")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withBinds(
                            Bind.parse(filtered + ":/var/run/docker.sock"),
                            Bind.parse(DOCKER_CLI + ":/usr/local/bin/docker:ro")))
                    .exec().getId();
            daemon.startContainerCmd(id).exec();
            int exit = daemon.waitContainerCmd(id).start().awaitStatusCode(120, TimeUnit.SECONDS);
            String output = logs(daemon, id);
            System.out.println("--- inside the container (exit " + exit + "):\n" + output + "--- dockgate:\n" + read(log));

            assertEquals(0, exit, output);
            String[] parts = output.split("\\$ docker ");
            String ps = parts[1];
            String events = parts[2];
            String run = parts[3];
            assertTrue(ps.contains(name) && ps.contains("(exit 0)"), ps);
            assertTrue(events.contains("container create " + name) && events.contains("container start " + name)
                    && events.contains("(exit 0)"), events);
            assertTrue(run.contains("dockgate: POST /v1.41/containers/create is not allowed by the rules")
                    && run.lines().noneMatch("escaped"::equals) && run.contains("(exit 125)"), run);

            // Nothing changed on the daemon but the test container itself, which has now exited.
            It.DaemonState after = It.DaemonState.read(daemon);
            List<String> newContainers = new ArrayList<>(after.containers());
            newContainers.removeAll(before.containers());
            assertEquals(1, newContainers.size(), () -> "new containers: " + newContainers);
            assertTrue(newContainers.get(0).startsWith(id + " [/" + name + "]"), newContainers.get(0));
            assertEquals(new ArrayList<>(before.containers()), withoutNew(after.containers(), newContainers));
            assertEquals(before.images(), after.images());
            assertEquals(before.networks(), after.networks());
            assertEquals(before.volumes(), after.volumes());
            assertTrue(read(log).contains("unix:pid="), "the access log names the Unix socket clients");
        } finally {
            It.removeContainerQuietly(daemon, id);
            daemon.close();
            dockgate.destroy();
            boolean stopped = dockgate.waitFor(15, TimeUnit.SECONDS);
            boolean socketLeft = Files.exists(filtered, LinkOption.NOFOLLOW_LINKS);
            Files.deleteIfExists(filtered);
            Files.deleteIfExists(log);
            Files.deleteIfExists(dir);
            assertTrue(stopped, "dockgate did not stop on SIGTERM");
            assertTrue(!socketLeft, "the socket file outlived dockgate");
        }
    }

    private static List<String> withoutNew(java.util.SortedSet<String> all, List<String> added) {
        List<String> rest = new ArrayList<>(all);
        rest.removeAll(added);
        return rest;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String logs(DockerClient daemon, String id) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        daemon.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }
}
