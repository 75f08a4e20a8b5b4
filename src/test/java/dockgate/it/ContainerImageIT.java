package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image of conf/docker/Dockerfile, built on the real daemon from a base image made offline by
 * scripts/base-image, and run the way the documentation runs it: non-root, the daemon's socket mounted, the
 * socket's group added. The daemon here has no bridge network, so the gateway container runs with network
 * "none" and its clients are busybox containers that share its network namespace.
 */
@Timeout(600)
class ContainerImageIT {
    static final String BASE = GatewayImage.BASE;
    static final String IMAGE = GatewayImage.IMAGE;
    /** The image's user, from the Dockerfile. */
    static final int UID = 10001;
    static final String DENIED = "{\"message\":\"dockgate: POST /v1.41/containers/create is not allowed by the rules\"}";

    @TempDir
    static Path dir;

    static String host;
    static int socketGroup;
    static final List<String> containers = new ArrayList<>();
    static final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        host = "unix://" + It.socket();
        socketGroup = (Integer) Files.getAttribute(It.socket(), "unix:gid");

        GatewayImage.build(host, dir);
        System.out.println("ContainerImageIT: " + IMAGE + " is " + docker("image", "inspect", "-f", "{{.Size}}", IMAGE)
                + " bytes, its base " + BASE + " " + docker("image", "inspect", "-f", "{{.Size}}", BASE) + " bytes");
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (host == null) return;
        for (String c : containers) It.run(It.cliAt(host, "rm", "-f", "-v", c), It.CLI_TIMEOUT);
        for (String v : volumes) It.run(It.cliAt(host, "volume", "rm", "-f", v), It.CLI_TIMEOUT);
        GatewayImage.remove(host);
    }

    @Test
    void theImageServesAsItsOwnUserInTheSocketsGroup() throws Exception {
        String volume = "dockgate-it-" + It.unique() + "-run";
        volumes.add(volume);
        // The hardened run from the documentation: read-only root, no capabilities, no privilege gain.
        // /tmp is Docker's default noexec tmpfs: the image loads Netty's epoll library from /opt/dockgate/native.
        String name = startGateway("--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--group-add", Integer.toString(socketGroup),
                "-v", volume + ":/run/dockgate");
        String id = docker("inspect", "-f", "{{.Id}}", name);

        String ping = request(name, "GET /_ping HTTP/1.0\r\n\r\n");
        assertTrue(ping.startsWith("HTTP/1.0 200 "), ping);
        assertTrue(ping.contains("\r\nApi-Version: 1.41\r\n"), ping);
        assertTrue(ping.endsWith("\r\n\r\nOK"), ping);

        String list = request(name, "GET /v1.41/containers/json HTTP/1.0\r\n\r\n");
        assertTrue(list.startsWith("HTTP/1.0 200 "), list);
        assertTrue(list.contains("\"Id\":\"" + id + "\""), "the gateway's own container is running: " + list
                + "\n--- gateway log\n" + logs(name));

        String create = request(name, "POST /v1.41/containers/create HTTP/1.0\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        assertTrue(create.startsWith("HTTP/1.0 403 "), create);
        assertTrue(create.endsWith("\r\n\r\n" + DENIED + "\n"), create);

        String status = Files.readString(Path.of("/proc", docker("inspect", "-f", "{{.State.Pid}}", name), "status"));
        assertEquals(List.of(UID, UID, UID, UID), numbers(status, "Uid"), status);
        assertTrue(numbers(status, "Groups").contains(socketGroup), status);
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), capabilities(status), "no capabilities: " + status);

        // A named volume on /run/dockgate starts out as the image's directory: writable for socket files.
        Path mountpoint = Path.of(docker("volume", "inspect", "-f", "{{.Mountpoint}}", volume));
        assertEquals(UID, (Integer) Files.getAttribute(mountpoint, "unix:uid"));
    }

    @Test
    void withoutTheSocketsGroupTheDaemonIsOutOfReach() throws Exception {
        String name = startGateway();
        String ping = request(name, "GET /_ping HTTP/1.0\r\n\r\n");
        assertTrue(ping.startsWith("HTTP/1.0 502 "), ping);
        assertTrue(ping.contains("Permission denied"), ping);
    }

    /** Needs Unix-socket listeners (--listen unix:PATH); skipped on a dockgate without them. */
    @Test
    void aSocketListenerInASharedVolumeServesTheDockerCli() throws Exception {
        // A missing rules file stops dockgate right after its flags are parsed: whether the complaint is about
        // --listen says whether this dockgate knows Unix-socket listeners, without starting to serve.
        It.Result probe = It.run(new ProcessBuilder("java", "-jar", "target/dockgate.jar", "--listen",
                "unix:" + dir.resolve("probe.sock"), "--rules", dir.resolve("absent").toString()), It.CLI_TIMEOUT);
        assumeTrue(probe.exit() == 2 && !probe.err().contains("--listen"), "no Unix-socket listeners: " + probe);
        String volume = "dockgate-it-" + It.unique() + "-sock";
        volumes.add(volume);
        String name = startGateway("--group-add", Integer.toString(socketGroup), "-v", volume + ":/run/dockgate",
                "-e", "DOCKGATE_LISTEN=unix:/run/dockgate/docker.sock,mode=0660");
        Path socket = Path.of(docker("volume", "inspect", "-f", "{{.Mountpoint}}", volume), "docker.sock");
        assertTrue(It.await(Duration.ofSeconds(60), () -> Files.exists(socket)), "no " + socket + ": " + logs(name));

        It.Result ps = It.run(It.cliAt("unix://" + socket, "ps", "--format", "{{.Names}}"), It.CLI_TIMEOUT);
        assertEquals(0, ps.exit(), ps.toString());
        assertTrue(ps.out().lines().anyMatch(name::equals), ps.toString());
        It.Result create = It.run(It.cliAt("unix://" + socket, "create", It.IMAGE), It.CLI_TIMEOUT);
        assertTrue(create.exit() != 0 && create.err().contains(It.REFUSED), create.toString());
    }

    // ---------------------------------------------------------------- helpers

    /** Starts the image detached with the daemon's socket mounted read-only; returns the container name. */
    private static String startGateway(String... options) throws Exception {
        String name = "dockgate-it-" + It.unique() + "-image";
        containers.add(name);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none",
                "-v", It.socket() + ":/var/run/docker.sock:ro"));
        args.addAll(List.of(options));
        args.add(IMAGE);
        docker(args.toArray(String[]::new));
        return name;
    }

    /**
     * Sends one raw HTTP/1.0 request to port 2375 of the gateway container from a busybox container in its
     * network namespace, retrying (for up to a minute) until the gateway accepts the connection and answers,
     * and returns the whole response.
     */
    private static String request(String gateway, String request) throws Exception {
        String script = "i=0; until printf '%s' \"$1\" | nc 127.0.0.1 2375 >/tmp/response 2>/dev/null"
                + " && [ -s /tmp/response ]; do i=$((i+1)); [ $i -lt 600 ] || exit 1; sleep 0.1; done;"
                + " cat /tmp/response";
        It.Result r = It.run(It.cliAt(host, "run", "--rm", "--network", "container:" + gateway, It.IMAGE,
                "sh", "-c", script, "sh", request), Duration.ofSeconds(120));
        assertEquals(0, r.exit(), "no answer from the gateway: " + r + "\n--- gateway log\n" + logs(gateway));
        return r.out();
    }

    private static String logs(String container) throws Exception {
        It.Result r = It.run(It.cliAt(host, "logs", container), It.CLI_TIMEOUT);
        return r.out() + r.err();
    }

    /** Runs the docker CLI against the daemon, asserts success and returns its trimmed output. */
    private static String docker(String... args) throws IOException, InterruptedException {
        It.Result r = It.run(It.cliAt(host, args), It.CLI_TIMEOUT);
        assertEquals(0, r.exit(), "docker " + String.join(" ", args) + ": " + r);
        return r.out().trim();
    }

    /** The numbers on a "Name:" line of /proc/PID/status. */
    private static List<Integer> numbers(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s*(.*)$").matcher(status);
        assertTrue(m.find(), field + " in " + status);
        List<Integer> values = new ArrayList<>();
        for (String v : m.group(1).trim().split("\\s+")) values.add(Integer.parseInt(v));
        return values;
    }

    /** CapInh, CapPrm, CapEff, CapBnd and CapAmb of /proc/PID/status. */
    private static List<Long> capabilities(String status) {
        List<Long> values = new ArrayList<>();
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            Matcher m = Pattern.compile("(?m)^" + set + ":\\s*([0-9a-f]+)$").matcher(status);
            assertTrue(m.find(), set + " in " + status);
            values.add(Long.parseLong(m.group(1), 16));
        }
        return values;
    }
}
