package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dockgate with --socket at Podman's Docker-compatible service ({@code podman system service}), the built-in
 * rules, and the docker CLI as the client: its reads show what they show against Podman directly.
 * Podman runs on storage of its own in a temporary directory, beside the test dockerd and without touching
 * it, and cannot start containers here, so its containers are only created; its image is the test image,
 * saved from the dockerd.
 */
@Timeout(300)
class PodmanIT {
    /** podman load puts an image without a registry under localhost/. */
    static final String IMAGE = "localhost/" + It.IMAGE;
    static final Duration READY = Duration.ofSeconds(60);

    static Path dir;
    static Process service;
    static Gateway gateway;
    static String podmanHost;
    static String container;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("dg-podman");
        Path archive = dir.resolve("image.tar");
        It.Result saved = It.run(It.cliAt("unix://" + It.socket(), "save", "-o", archive.toString(), It.IMAGE),
                It.CLI_TIMEOUT);
        assertEquals(0, saved.exit(), saved::toString);
        podman("load", "-i", archive.toString());
        container = "dockgate-it-" + It.unique() + "-podman";
        podman("create", "--name", container, "--network", "none", "--label", "dockgate.it=podman",
                "--env", "PASSWORD=hunter2", IMAGE, "sleep", "60");

        Path socket = dir.resolve("podman.sock");
        podmanHost = "unix://" + socket;
        service = new ProcessBuilder(podmanCommand("system", "service", "--time=0", podmanHost))
                .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("service.log").toFile()).start();
        assertTrue(It.await(READY, () -> Files.exists(socket)), () -> "no " + socket + ": " + log());
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, socket, Profile.builtIn()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) gateway.close();
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
            It.run(new ProcessBuilder("rm", "-rf", dir.toString()), It.CLI_TIMEOUT);
        }
    }

    @Test
    void versionIsPodmans() throws Exception {
        String format = "{{.Server.Version}} {{.Server.APIVersion}} {{range .Server.Components}}{{.Name}};{{end}}";
        String direct = cli(podmanHost, "version", "--format", format);
        assertEquals(direct, cli(gateway(), "version", "--format", format));
        assertTrue(direct.contains("Podman Engine;"), direct);
    }

    @Test
    void psListsPodmansContainers() throws Exception {
        String format = "{{.ID}} {{.Names}} {{.Image}} {{.Status}} {{.Labels}}";
        String direct = cli(podmanHost, "ps", "-a", "--format", format);
        assertEquals(direct, cli(gateway(), "ps", "-a", "--format", format));
        assertTrue(direct.contains(" " + container + " " + IMAGE + " Created dockgate.it=podman"), direct);
    }

    @Test
    void imagesListsPodmansImages() throws Exception {
        String format = "{{.ID}} {{.Repository}}:{{.Tag}} {{.Size}}";
        String direct = cli(podmanHost, "images", "--format", format);
        assertEquals(direct, cli(gateway(), "images", "--format", format));
        assertTrue(direct.contains(" " + IMAGE + " "), direct);
    }

    @Test
    void inspectShowsTheImageAndTheContainerWithItsEnvironmentRedacted() throws Exception {
        String image = "{{.Id}} {{.RepoTags}} {{.Config.Cmd}}";
        assertEquals(cli(podmanHost, "image", "inspect", "--format", image, IMAGE),
                cli(gateway(), "image", "inspect", "--format", image, IMAGE));
        String id = "{{.Id}} {{.Name}} {{.State.Status}} {{.Config.Image}}";
        assertEquals(cli(podmanHost, "inspect", "--format", id, container),
                cli(gateway(), "inspect", "--format", id, container));
        String env = "{{json .Config.Env}}";
        assertTrue(cli(podmanHost, "inspect", "--format", env, container).contains("\"PASSWORD=hunter2\""));
        assertTrue(cli(gateway(), "inspect", "--format", env, container).contains("\"PASSWORD=<redacted>\""));
    }

    @Test
    void eventsFollowWhatPodmanDoes() throws Exception {
        Path out = dir.resolve("events.out");
        Process events = It.cliAt(gateway(), "events", "--filter", "type=container", "--format",
                "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").redirectOutput(out.toFile())
                .redirectError(dir.resolve("events.err").toFile()).start();
        try {
            String name = "dockgate-it-" + It.unique() + "-event";
            // The stream is open once the gateway relayed the CLI's first answer: a create made before
            // would not be followed, so create again until one is seen.
            assertTrue(It.await(READY, () -> {
                if (read(out).contains("container create " + name)) return true;
                podmanQuietly("rm", "-f", name);
                podmanQuietly("create", "--name", name, "--network", "none", IMAGE, "true");
                return false;
            }), () -> "no create event in " + read(out));
            podman("rm", name);
        } finally {
            events.destroy();
            events.waitFor();
        }
    }

    @Test
    void writesAreRefused() throws Exception {
        String before = cli(podmanHost, "ps", "-a", "--format", "{{.ID}}");
        It.Result create = It.run(It.cliAt(gateway(), "create", "--network", "none", IMAGE), It.CLI_TIMEOUT);
        assertTrue(create.exit() != 0 && create.err().contains(It.REFUSED), create::toString);
        It.Result rm = It.run(It.cliAt(gateway(), "rm", container), It.CLI_TIMEOUT);
        assertTrue(rm.exit() != 0 && rm.err().contains(It.REFUSED), rm::toString);
        assertEquals(before, cli(podmanHost, "ps", "-a", "--format", "{{.ID}}"), "nothing changed in Podman");
    }

    // ---------------------------------------------------------------- helpers

    private static String gateway() {
        return "tcp://127.0.0.1:" + gateway.port();
    }

    /** The docker CLI against host; asserts success and returns the trimmed output. */
    private static String cli(String host, String... args) throws Exception {
        It.Result r = It.run(It.cliAt(host, args), It.CLI_TIMEOUT);
        assertEquals(0, r.exit(), () -> "docker -H " + host + " " + String.join(" ", args) + ": " + r);
        return r.out().strip();
    }

    /**
     * Podman as root on its own storage under dir. No systemd here: cgroups are managed directly and events
     * go to a file; vfs needs no overlay support from the kernel.
     */
    private static List<String> podmanCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(), "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static It.Result podmanQuietly(String... args) {
        try {
            return It.run(new ProcessBuilder(podmanCommand(args)).redirectInput(new File("/dev/null")), It.CLI_TIMEOUT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void podman(String... args) {
        It.Result r = podmanQuietly(args);
        assertEquals(0, r.exit(), () -> "podman " + String.join(" ", args) + ": " + r);
    }

    private static String log() {
        return read(dir.resolve("service.log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
