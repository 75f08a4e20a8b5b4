package dockgate.it;

import static dockgate.it.It.IMAGE;
import static dockgate.it.It.docker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Network;
import dockgate.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a user of the real Docker CLI can do through the gateway: read, tag, follow events. */
@Timeout(120)
class DockerCliIT {
    static final String DEEP = "localhost:5000/team/app:1.2";

    @RegisterExtension
    static final MadeOnTheDaemon made = new MadeOnTheDaemon();

    static Gateway gateway;
    static int port;
    static String imageId;
    static String containerName;
    static String volumeName;

    @BeforeAll
    static void start() throws Exception {
        imageId = made.daemon().inspectImageCmd(IMAGE).exec().getId();
        // Made directly on the daemon, so the listings below have something of ours to show.
        made.tag("localhost:5000/team/app", "1.2");
        containerName = made.name("cli");
        made.container("cli", "true");
        volumeName = made.volume("cli");
        gateway = made.gateway();
        port = gateway.port();
    }

    static It.Result ok(String... args) throws Exception {
        It.Result r = docker(port, args);
        assertEquals(0, r.exit(), () -> "docker " + String.join(" ", args) + "\n" + r);
        return r;
    }

    @Test
    void versionShowsTheServerAtApi141() throws Exception {
        It.Result r = ok("version");
        int server = r.out().indexOf("Server:");
        assertTrue(server >= 0, r::toString);
        assertTrue(Pattern.compile("API version:\\s+1\\.41\\b").matcher(r.out().substring(server)).find(),
                r::toString);
    }

    @Test
    void psAllListsAContainerOfTheDaemon() throws Exception {
        It.Result r = ok("ps", "-a");
        assertTrue(r.out().startsWith("CONTAINER ID"), r::toString);
        assertTrue(r.out().contains(containerName), r::toString);
    }

    @Test
    void imagesListsTheTestImage() throws Exception {
        It.Result r = ok("images");
        assertTrue(Pattern.compile("(?m)^local/busybox\\s+test\\s").matcher(r.out()).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^localhost:5000/team/app\\s+1\\.2\\s").matcher(r.out()).find(),
                r::toString);
    }

    @Test
    void imageInspect() throws Exception {
        It.Result r = ok("image", "inspect", IMAGE);
        assertTrue(r.out().contains("\"" + imageId + "\""), r::toString);
        assertTrue(r.out().contains("\"" + IMAGE + "\""), r::toString);
    }

    @Test
    void imageInspectOfANameWithRegistryPortAndPath() throws Exception {
        It.Result r = ok("image", "inspect", "--format", "{{.Id}} {{json .RepoTags}}", DEEP);
        assertTrue(r.out().startsWith(imageId + " "), r::toString);
        assertTrue(r.out().contains("\"" + DEEP + "\""), r::toString);
    }

    @Test
    void info() throws Exception {
        It.Result r = ok("info");
        String serverVersion = made.daemon().infoCmd().exec().getServerVersion();
        assertTrue(r.out().contains("Server Version: " + serverVersion), r::toString);
    }

    @Test
    void networkLsListsTheDaemonsNetworks() throws Exception {
        It.Result r = ok("network", "ls");
        for (Network n : made.daemon().listNetworksCmd().exec()) {
            assertTrue(Pattern.compile("(?m)^" + n.getId().substring(0, 12) + "\\s+" + Pattern.quote(n.getName())
                    + "\\s").matcher(r.out()).find(), () -> n.getName() + " missing\n" + r);
        }
    }

    @Test
    void volumeLsListsAVolumeOfTheDaemon() throws Exception {
        It.Result r = ok("volume", "ls");
        assertTrue(Pattern.compile("(?m)\\s" + volumeName + "$").matcher(r.out()).find(), r::toString);
    }

    @Test
    void tagReachesTheDaemon() throws Exception {
        String ref = made.removeLater("dockgate-it/tagged:" + made.u());
        ok("tag", IMAGE, ref);
        assertEquals(imageId, made.daemon().inspectImageCmd(ref).exec().getId(), "tag on the daemon");
    }

    @Test
    void eventsBetweenSinceAndUntilShowATagMadeOnTheDaemon() throws Exception {
        String repo = "dockgate-it/events", ref = repo + ":" + made.u() + "-bounded";
        long since = Instant.now().getEpochSecond() - 1;
        made.tag(repo, made.u() + "-bounded");
        long until = Instant.now().getEpochSecond() + 1;
        It.Result r = ok("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "type=image", "--filter", "event=tag", "--format", "{{.Actor.Attributes.name}}");
        assertTrue(r.out().lines().anyMatch(ref::equals), r::toString);
    }

    @Test
    void eventsStreamDeliversATagMadeOnTheDaemon() throws Exception {
        String repo = "dockgate-it/events", ref = repo + ":" + made.u() + "-stream";
        // --since makes the subscription see the tag whichever comes first; the stream itself never ends.
        long since = Instant.now().getEpochSecond() - 1;
        Path out = Files.createTempFile("dockgate-it-events", ".out");
        Path err = Files.createTempFile("dockgate-it-events", ".err");
        Process p = It.cli(port, "events", "--since", Long.toString(since), "--filter", "type=image",
                        "--filter", "event=tag", "--format", "{{.Actor.Attributes.name}}")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            made.tag(repo, made.u() + "-stream");
            boolean seen = It.await(Duration.ofSeconds(30),
                    () -> read(out).lines().anyMatch(ref::equals) || !p.isAlive());
            assertTrue(seen && p.isAlive(), () -> "docker events, alive=" + p.isAlive() + "\n--- stdout\n"
                    + read(out) + "--- stderr\n" + read(err));
        } finally {
            p.destroyForcibly().waitFor();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
