package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;
import dockgate.policy.Rulebook;
import dockgate.server.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * conf/examples/containers.rules with the docker CLI against the real daemon, over TCP and a Unix socket
 * listener: a container runs and is removed, and every way of asking for host access is refused, naming
 * its check, with nothing created on the daemon.
 */
@Timeout(180)
class GuardRailsIT {
    static DockerClient daemon;
    static Gateway gateway;
    static Path dir;
    static String u;
    static String target;

    @BeforeAll
    static void start() throws Exception {
        daemon = It.daemon();
        u = It.unique();
        dir = Files.createTempDirectory("dg-guard");
        Rulebook rules = Rulebook.load(Path.of("conf/examples/containers.rules"));
        gateway = Gateway.start(new Config(List.of(ListenSpec.tcp("127.0.0.1", 0),
                ListenSpec.unix(dir.resolve("g.sock"), 0600, null)), It.socket(), rules, Config.DEFAULT_DAEMON_TIMEOUT,
                Limits.DEFAULTS, Config.defaultAllowFrom("127.0.0.1"), null, null, null));
        target = "dockgate-it-" + u + "-target";
        It.Result made = It.run(It.cliAt("unix://" + It.socket(), "create", "--name", target, "--network", "none",
                IMAGE, "sleep", "60"), It.CLI_TIMEOUT);
        assertEquals(0, made.exit(), made::toString);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (daemon != null) {
            It.removeContainerQuietly(daemon, target);
            daemon.close();
        }
    }

    static String host(String transport) {
        return transport.equals("tcp") ? "tcp://127.0.0.1:" + gateway.port() : "unix://" + dir.resolve("g.sock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aContainerWithoutHostAccessRunsAndIsRemoved(String transport) throws Exception {
        String name = "dockgate-it-" + u + "-ok-" + transport;
        It.Result run = It.run(It.cliAt(host(transport), "run", "-d", "--name", name, "--network", "none", IMAGE,
                "sleep", "60"), It.CLI_TIMEOUT);
        assertEquals(0, run.exit(), run::toString);
        String id = run.out().strip();
        assertTrue(daemon.inspectContainerCmd(id).exec().getState().getRunning(), "the container runs");
        assertEquals("ci", daemon.inspectContainerCmd(id).exec().getConfig().getLabels().get("dockgate.profile"),
                "the gateway stamped its label");
        It.Result rm = It.run(It.cliAt(host(transport), "rm", "-f", name), It.CLI_TIMEOUT);
        assertEquals(0, rm.exit(), rm::toString);
        assertTrue(daemon.listContainersCmd().withShowAll(true).exec().stream()
                .noneMatch(c -> c.getId().equals(id)), "the container is gone");
    }

    static Stream<Arguments> hostAccess() {
        List<Arguments> cases = new ArrayList<>();
        List<List<String>> asks = List.of(
                List.of("privileged", "--privileged"),
                List.of("binds", "-v", "/:/host"),
                List.of("binds", "--mount", "type=bind,src=/etc,dst=/h"),
                List.of("binds", "--mount", "type=volume,src=dg-bind-" + "x,dst=/v,volume-driver=local,"
                        + "volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc"),
                List.of("pid", "--pid", "host"),
                List.of("ipc", "--ipc", "host"),
                List.of("uts", "--uts", "host"),
                List.of("userns", "--userns", "host"),
                List.of("cgroupns", "--cgroupns", "host"),
                List.of("network", "--network", "host"),
                List.of("network", "--network", "container:TARGET"),
                List.of("capabilities", "--cap-add", "SYS_ADMIN"),
                List.of("devices", "--device", "/dev/null:/dev/x"),
                List.of("security-opt", "--security-opt", "seccomp=unconfined"),
                List.of("security-opt", "--security-opt", "apparmor=unconfined"),
                List.of("security-opt", "--security-opt", "label=disable"),
                List.of("volumes-from", "--volumes-from", "TARGET"));
        for (String transport : List.of("tcp", "unix")) {
            for (List<String> ask : asks) {
                cases.add(Arguments.of(transport, ask.get(0), ask.subList(1, ask.size())));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {2} refused by {1}")
    @MethodSource("hostAccess")
    void hostAccessIsRefusedNamingItsCheck(String transport, String check, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("create"));
        for (String flag : flags) {
            args.add(flag.replace("TARGET", target));
        }
        if (!flags.contains("--network")) {
            args.addAll(List.of("--network", "none"));
        }
        args.addAll(List.of(IMAGE, "true"));
        refused(transport, check, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aVolumeThatBindsAHostPathIsRefused(String transport) throws Exception {
        refused(transport, "binds", "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=/etc",
                "dockgate-it-" + u + "-bindvol");
    }

    /** Raw bodies in the spellings the daemon's Go decoder reads as host access: each refused, nothing made. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Image\":\"IMG\",\"HostConfig\":{\"privileged\":true}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"PRIVILEGED\":true}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"\\u0050rivileged\":true}}",
            "{\"Image\":\"IMG\",\"hostconfig\":{\"Privileged\":true}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"Privileged\":false,\"Privileged\":true}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"Bind\u017f\":[\"/:/host\"]}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"Networ\u212aMode\":\"host\"}}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"NetworkMode\":\"none\"},\"Privileged\":true}",
            "{\"Image\":\"IMG\",\"Privileged\":true}",
            "{\"Image\":\"IMG\",\"HostConfig\":{\"NetworkMode\":\"none\"}} {\"HostConfig\":{\"Privileged\":true}}"})
    void rawSpellingsOfHostAccessAreRefused(String body) throws Exception {
        for (String type : List.of("application/json", "Application/JSON", "appl\u0130cation/json")) {
            It.DaemonState before = It.DaemonState.read(daemon);
            byte[] bytes = body.replace("IMG", IMAGE).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dockgate.testing.RawClient.Response response;
            try (dockgate.testing.RawClient client = new dockgate.testing.RawClient(gateway.port())) {
                client.send(("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                client.send(bytes);
                response = client.read();
            }
            assertTrue(response.status() == 400 || response.status() == 403, type + " " + body + ": " + response);
            assertTrue(response.body().contains("dockgate: "), response::toString);
            assertEquals(before, It.DaemonState.read(daemon), body + " changed the daemon");
        }
    }

    private static void refused(String transport, String check, String... args) throws Exception {
        It.DaemonState before = It.DaemonState.read(daemon);
        It.Result r = It.run(It.cliAt(host(transport), args), It.CLI_TIMEOUT);
        It.DaemonState after = It.DaemonState.read(daemon);
        String cmd = "docker " + String.join(" ", Arrays.asList(args));
        assertNotEquals(0, r.exit(), () -> cmd + "\n" + r);
        assertTrue(r.err().contains("Error response from daemon: dockgate: "), () -> cmd + "\n" + r);
        assertTrue(r.err().contains("refused by check '" + check + "' of checks ci"), () -> cmd + "\n" + r);
        assertEquals(before, after, () -> cmd + " changed the daemon");
    }
}
