package dockgate.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Shared pieces of the integration tests: the real private dockerd (from {@code DOCKGATE_TEST_SOCKET}),
 * a gateway in front of it, clients for both, the Docker CLI, and a snapshot of daemon state.
 */
final class It {
    /** The offline test image scripts/dev-daemon imports. */
    static final String IMAGE = "local/busybox:test";
    /** The stable part of every refusal message. */
    static final String REFUSED = "is not allowed by the rules";
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private It() {}

    /** The daemon socket; fails (never skips) when the tests were started without a daemon. */
    static Path socket() {
        String s = System.getenv("DOCKGATE_TEST_SOCKET");
        if (s == null || s.isBlank()) {
            fail("DOCKGATE_TEST_SOCKET is not set: the integration tests need a real dockerd. "
                    + "Run scripts/test (it starts a private dockerd and runs mvn verify), or "
                    + "export DOCKGATE_TEST_SOCKET=$(scripts/dev-daemon start) before mvn verify.");
        }
        Path p = Path.of(s);
        if (!Files.exists(p)) {
            fail("DOCKGATE_TEST_SOCKET=" + s + " does not exist; start the daemon with scripts/dev-daemon start");
        }
        return p;
    }

    static Gateway startGateway() throws Exception {
        return Gateway.start(Config.defaults("127.0.0.1", 0, socket(), Profile.builtIn()));
    }

    /** docker-java through the zerodep transport; host is tcp://... or unix://... */
    static DockerClient dockerJava(String host) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** docker-java talking to the daemon directly, bypassing the gateway: the ground truth. */
    static DockerClient daemon() {
        return dockerJava("unix://" + socket());
    }

    /** A name part unique to this run, valid in image repositories, tags and container names. */
    static String unique() {
        return "it" + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    }

    /** A loopback TCP port that nothing listened on a moment ago, for a listener whose port must be known before it starts. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void removeQuietly(DockerClient daemon, String imageRef) {
        try {
            daemon.removeImageCmd(imageRef).withNoPrune(true).exec();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    static void removeContainerQuietly(DockerClient daemon, String id) {
        if (id == null) return;
        try {
            daemon.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /** Polls a condition until it holds (true) or the deadline passes (false): the caller's assertion says what was awaited. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- the Docker CLI

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Path cliConfigDir;

    /** The docker CLI on PATH (override: DOCKGATE_TEST_DOCKER), isolated from the user's config. */
    static ProcessBuilder cli(int port, String... args) throws IOException {
        return cliAt("tcp://127.0.0.1:" + port, args);
    }

    /** The docker CLI against host (tcp://... or unix://...), isolated from the user's config. */
    static ProcessBuilder cliAt(String host, String... args) throws IOException {
        return cliOf(Objects.requireNonNullElse(System.getenv("DOCKGATE_TEST_DOCKER"), "docker"), host, args);
    }

    /** The docker CLI at path docker against host, isolated from the user's config. */
    static ProcessBuilder cliOf(String docker, String host, String... args) throws IOException {
        synchronized (It.class) {
            if (cliConfigDir == null) cliConfigDir = Files.createTempDirectory("dockgate-it-cli");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(docker);
        cmd.add("-H");
        cmd.add(host);
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
        Map<String, String> env = pb.environment();
        for (String k : List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
                "DOCKER_API_VERSION")) {
            env.remove(k);
        }
        env.put("DOCKER_CONFIG", cliConfigDir.toString());
        env.put("DOCKER_CLI_HINTS", "false");
        return pb;
    }

    /** Runs the docker CLI against the gateway on port and waits for it (CLI_TIMEOUT). */
    static Result docker(int port, String... args) throws IOException, InterruptedException {
        return run(cli(port, args), CLI_TIMEOUT);
    }

    /** Runs a command and waits for it, failing the test when it takes longer than timeout. */
    static Result run(ProcessBuilder command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dockgate-it", ".out");
        Path err = Files.createTempFile("dockgate-it", ".err");
        try {
            Process p = command.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail(String.join(" ", command.command()) + " did not finish within " + timeout + "\n"
                        + new Result(-1, Files.readString(out), Files.readString(err)));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ---------------------------------------------------------------- daemon state

    /** What a refused request must not change, read directly from the daemon. */
    record DaemonState(SortedSet<String> containers, SortedSet<String> images, SortedSet<String> networks,
            SortedSet<String> volumes) {

        static DaemonState read(DockerClient daemon) {
            SortedSet<String> containers = new TreeSet<>();
            for (Container c : daemon.listContainersCmd().withShowAll(true).exec()) {
                List<String> execs = daemon.inspectContainerCmd(c.getId()).exec().getExecIds();
                containers.add(c.getId() + " " + Arrays.toString(c.getNames()) + " " + c.getImage() + " "
                        + c.getState() + " execs=" + (execs == null ? "[]" : execs));
            }
            SortedSet<String> images = new TreeSet<>();
            for (Image i : daemon.listImagesCmd().withShowAll(true).exec()) {
                String[] tags = i.getRepoTags() == null ? new String[0] : i.getRepoTags().clone();
                Arrays.sort(tags);
                images.add(i.getId() + " " + Arrays.toString(tags));
            }
            SortedSet<String> networks = new TreeSet<>();
            for (Network n : daemon.listNetworksCmd().exec()) {
                networks.add(n.getId() + " " + n.getName());
            }
            SortedSet<String> volumes = new TreeSet<>();
            List<InspectVolumeResponse> vs = daemon.listVolumesCmd().exec().getVolumes();
            if (vs != null) {
                for (InspectVolumeResponse v : vs) volumes.add(v.getName());
            }
            return new DaemonState(containers, images, networks, volumes);
        }
    }
}
