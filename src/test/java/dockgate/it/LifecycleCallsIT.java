package dockgate.it;

import static dockgate.it.It.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.HostConfig;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.testing.RawClient;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Start, restart, stop, kill, wait and image tag through the gateway, made by the real clients: docker CLI
 * 28 and 20.10, docker-py (each installed version), dockerode and docker-java. These routes take no request
 * body, but the clients write them differently: no body (CLI 28, docker-py), an empty text/plain body (CLI
 * 20.10), application/json with no framing at all (docker-java), and a JSON copy of the options (dockerode).
 * Whatever the gateway does with such a body, each call must still do what the user asked, so the tests
 * check the daemon's state, never the bytes forwarded. What each client sends: src/test/clients/README.md.
 */
@Timeout(300)
class LifecycleCallsIT {
    static final String RULES = """
            GET,HEAD  /_ping
            GET       /version
            # docker-py's object API looks a container or image up before it acts on it.
            GET       /containers/{id}/json
            GET       /images/{name}/json
            POST      /containers/{id}/start
            POST      /containers/{id}/restart
            POST      /containers/{id}/stop
            POST      /containers/{id}/kill
            POST      /containers/{id}/wait
            POST      /images/{name}/tag
            """;
    static final Path CLIENTS = Path.of("src/test/clients");
    /** npm ci installs dockerode here, outside the source tree, from the committed lockfile. */
    static final Path DOCKERODE_DIR = Path.of("target/clients/dockerode");
    /** A service that ends with status 0 on SIGTERM, so a graceful stop is told apart from a kill (137). */
    static final String[] SERVICE = {"sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"};
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final MadeOnTheDaemon made = new MadeOnTheDaemon();

    static Gateway gateway;
    static String endpoint;
    static String imageId;
    static final List<NamedClient> clients = new ArrayList<>();
    static DockerClient dockerJava;

    /** One API call the way one client makes it; returns what the client printed (the exit code, for wait). */
    @FunctionalInterface
    interface Client {
        String call(String op, String... args) throws Exception;
    }

    /** slug names what the test creates for this client; name is what the test report shows. */
    record NamedClient(String name, String slug, Client client) {
        String call(String op, String... args) throws Exception {
            return client.call(op, args);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        imageId = made.daemon().inspectImageCmd(IMAGE).exec().getId();
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.parse("lifecycle-rules", RULES)));
        endpoint = "127.0.0.1:" + gateway.port();

        for (String docker : List.of("/usr/local/bin/docker", "/usr/bin/docker")) {
            if (!Files.isExecutable(Path.of(docker))) continue;
            // "Docker version 28.2.2, build e6534b4"; --version asks no daemon.
            It.Result v = It.run(new ProcessBuilder(docker, "--version").redirectInput(new File("/dev/null")),
                    It.CLI_TIMEOUT);
            Matcher m = Pattern.compile("version ([^,\\s]+)").matcher(v.out());
            assertTrue(m.find(), () -> docker + " --version\n" + v);
            String version = m.group(1);
            add("docker CLI " + version + " (" + docker + ")", "cli" + version.split("\\.")[0], cli(docker));
        }
        // The machine's python3 (pip's docker) and Debian's (python3-docker) may hold different versions.
        Map<String, String> pythons = new LinkedHashMap<>();
        for (String python : List.of("python3", "/usr/bin/python3")) {
            ProcessBuilder version = new ProcessBuilder(python, CLIENTS.resolve("docker-py/lifecycle.py").toString(),
                    "-", "version").redirectInput(new File("/dev/null"));
            try {
                It.Result v = It.run(version, It.CLI_TIMEOUT);
                if (v.exit() == 0) pythons.putIfAbsent(v.out().trim(), python);
            } catch (IOException noSuchInterpreter) {
                // the family check below fails the test if no interpreter has docker-py
            }
        }
        pythons.forEach((versionAndExecutable, python) -> {
            String version = versionAndExecutable.split(" ")[0];
            add("docker-py " + versionAndExecutable, "py" + version.split("\\.")[0],
                    script(List.of(python, CLIENTS.resolve("docker-py/lifecycle.py").toString()), "tcp://" + endpoint,
                            Map.of()));
        });
        Map<String, String> nodeEnv = Map.of("NODE_PATH", installDockerode().toAbsolutePath().toString());
        Client dockerode = script(List.of("node", CLIENTS.resolve("dockerode/lifecycle.js").toString()), endpoint,
                nodeEnv);
        add("dockerode " + dockerode.call("version"), "dockerode", dockerode);
        dockerJava = It.dockerJava("tcp://" + endpoint);
        add("docker-java " + dockerJavaVersion() + " (zerodep)", "java", dockerJava(dockerJava));

        System.out.println("LifecycleCallsIT: clients " + clients);
        for (String family : List.of("docker CLI", "docker-py", "dockerode", "docker-java")) {
            if (clients.stream().noneMatch(c -> c.name().startsWith(family))) {
                fail("no " + family + " to test with; scripts/test installs docker.io (CLI 20.10), python3-docker "
                        + "and nodejs/npm. Found: " + clients);
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (dockerJava != null) dockerJava.close();
        if (gateway != null) gateway.close();
    }

    static List<NamedClient> clients() {
        return clients;
    }

    /** Adds a client; a slug already taken (two docker-py of one major version) gets a number. */
    static void add(String name, String slug, Client client) {
        boolean taken = clients.stream().anyMatch(c -> c.slug().equals(slug));
        clients.add(new NamedClient(name, taken ? slug + "-" + clients.size() : slug, client));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void startRestartStopAndKillChangeTheContainer(NamedClient client) throws Exception {
        String c = container(client.slug() + "-service", SERVICE);

        client.call("start", c);
        InspectContainerResponse.ContainerState started = state(c);
        assertTrue(started.getRunning(), () -> "after start: " + started);
        awaitTrapSet(c);

        client.call("restart", c, "5");
        InspectContainerResponse.ContainerState restarted = state(c);
        assertTrue(restarted.getRunning(), () -> "after restart: " + restarted);
        assertNotEquals(started.getStartedAt(), restarted.getStartedAt(), "restart started the container anew");
        awaitTrapSet(c);

        client.call("stop", c, "5");
        InspectContainerResponse.ContainerState stopped = state(c);
        assertFalse(stopped.getRunning(), () -> "after stop: " + stopped);
        assertEquals(0L, stopped.getExitCodeLong(), "stopped by SIGTERM within the timeout, not killed after it");

        client.call("start", c);
        assertTrue(state(c).getRunning(), "started again");
        client.call("kill", c, "KILL");
        // The daemon may answer a kill before it has recorded the exit.
        assertTrue(It.await(STATE_TIMEOUT, () -> !state(c).getRunning()),
                () -> "still running after kill: " + state(c));
        assertEquals(137L, state(c).getExitCodeLong(), "ended by SIGKILL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void waitAnswersTheExitCode(NamedClient client) throws Exception {
        String c = container(client.slug() + "-exit3", "sh", "-c", "exit 3");
        client.call("start", c);
        assertEquals("3", client.call("wait", c));
        assertEquals(3L, state(c).getExitCodeLong());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void tagPutsTheNewNameOnTheImage(NamedClient client) throws Exception {
        String repo = "dockgate-it/lifecycle-" + client.slug(), ref = made.removeLater(repo + ":" + made.u());
        client.call("tag", IMAGE, repo, made.u());
        assertEquals(imageId, made.daemon().inspectImageCmd(ref).exec().getId());
    }

    /** No client recorded here sends one, but a start whose body is {} (which the daemon accepts) must work. */
    @Test
    void startWithAnEmptyJsonObjectAsItsBody() throws Exception {
        String c = container("raw-service", SERVICE);
        try (RawClient http = new RawClient(gateway.port())) {
            RawClient.Response r = http.send("POST /v1.41/containers/" + c + "/start HTTP/1.1\r\nHost: dockgate-it\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").read();
            assertEquals(204, r.status(), r::toString);
        }
        assertTrue(state(c).getRunning(), () -> "after start: " + state(c));
    }

    /**
     * Below API 1.24 the daemon reads a start's body as the container's HostConfig and applies it: a rule
     * that allows start would let a client mount the host into a container created without mounts. The
     * route takes no body, so the gateway drops it: the container starts as it was created.
     */
    @Test
    void anOldApiStartCannotBringAHostConfigAlong() throws Exception {
        String c = container("old-api-start", SERVICE);
        // Privileged would be stored too, but cannot start here (no capabilities to hand out): binds show it.
        String body = "{\"Binds\":[\"/tmp:/hostdir\"]}";
        try (RawClient http = new RawClient(gateway.port())) {
            RawClient.Response r = http.send("POST /v1.23/containers/" + c + "/start HTTP/1.1\r\nHost: dockgate-it\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).read();
            assertEquals(204, r.status(), r::toString);
        }
        InspectContainerResponse inspect = made.daemon().inspectContainerCmd(c).exec();
        assertTrue(inspect.getState().getRunning(), () -> "after start: " + inspect.getState());
        assertTrue(inspect.getMounts() == null || inspect.getMounts().isEmpty(), () -> "mounts: " + inspect.getMounts());
    }

    // ---------------------------------------------------------------- fixture

    /** A container made directly on the daemon (create is not what this test is about), removed at the end. */
    static String container(String purpose, String... cmd) {
        return made.container(purpose, cmd);
    }

    static InspectContainerResponse.ContainerState state(String container) {
        return made.daemon().inspectContainerCmd(container).exec().getState();
    }

    /** SERVICE's shell has set its trap once its sleep runs: a SIGTERM before that would be lost. */
    static void awaitTrapSet(String container) throws InterruptedException {
        assertTrue(It.await(STATE_TIMEOUT, () -> {
            try {
                return Arrays.stream(made.daemon().topContainerCmd(container).exec().getProcesses())
                        .anyMatch(p -> String.join(" ", p).contains("sleep 600"));
            } catch (RuntimeException notRunningYet) {
                return false;
            }
        }), "the service's sleep did not start");
    }

    /** The docker CLI at path docker, one command per call. */
    static Client cli(String docker) {
        return (op, a) -> {
            String[] args = switch (op) {
                case "stop", "restart" -> new String[] {op, "-t", a[1], a[0]};
                case "kill" -> new String[] {"kill", "-s", a[1], a[0]};
                case "tag" -> new String[] {"tag", a[0], a[1] + ":" + a[2]};
                default -> new String[] {op, a[0]};
            };
            return succeed(It.cliOf(docker, "tcp://" + endpoint, args));
        };
    }

    /** A script of src/test/clients: COMMAND... ENDPOINT OP ARGS..., one process per call. */
    static Client script(List<String> command, String target, Map<String, String> env) {
        return (op, a) -> {
            List<String> cmd = new ArrayList<>(command);
            cmd.add(target);
            cmd.add(op);
            cmd.addAll(Arrays.asList(a));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
            pb.environment().putAll(env);
            return succeed(pb);
        };
    }

    static String succeed(ProcessBuilder command) throws IOException, InterruptedException {
        It.Result r = It.run(command, It.CLI_TIMEOUT);
        assertEquals(0, r.exit(), () -> String.join(" ", command.command()) + "\n" + r);
        return r.out().trim();
    }

    static Client dockerJava(DockerClient client) {
        return (op, a) -> {
            switch (op) {
                case "start" -> client.startContainerCmd(a[0]).exec();
                case "restart" -> client.restartContainerCmd(a[0]).withTimeout(Integer.parseInt(a[1])).exec();
                case "stop" -> client.stopContainerCmd(a[0]).withTimeout(Integer.parseInt(a[1])).exec();
                case "kill" -> client.killContainerCmd(a[0]).withSignal(a[1]).exec();
                case "wait" -> {
                    return client.waitContainerCmd(a[0]).exec(new WaitContainerResultCallback())
                            .awaitStatusCode(60, TimeUnit.SECONDS).toString();
                }
                case "tag" -> client.tagImageCmd(a[0], a[1], a[2]).exec();
                default -> throw new IllegalArgumentException(op);
            }
            return "";
        };
    }

    static String dockerJavaVersion() throws IOException {
        try (InputStream in = DockerClient.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/com.github.docker-java/docker-java-core/pom.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "?");
        }
    }

    /**
     * dockerode from the committed package.json and lockfile, installed with npm ci under target/ unless the
     * tree there was installed from the same two files. --ignore-scripts: dockerode runs none of them, and the
     * only ones in its tree build ssh2's optional native helpers, which need a compiler and Node's headers.
     */
    static Path installDockerode() throws IOException, InterruptedException {
        Path source = CLIENTS.resolve("dockerode");
        String wanted = Files.readString(source.resolve("package.json"))
                + Files.readString(source.resolve("package-lock.json"));
        // Inside node_modules, so a failed or interrupted npm ci (which empties it first) leaves no marker.
        Path marker = DOCKERODE_DIR.resolve("node_modules/.installed-from");
        if (!Files.exists(marker) || !Files.readString(marker).equals(wanted)) {
            Files.createDirectories(DOCKERODE_DIR);
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(source.resolve(file), DOCKERODE_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                    .directory(DOCKERODE_DIR.toFile()).redirectInput(new File("/dev/null"));
            It.Result r = It.run(npm, Duration.ofMinutes(5));
            assertEquals(0, r.exit(), () -> "npm ci in " + DOCKERODE_DIR + "\n" + r);
            Files.writeString(marker, wanted);
        }
        return DOCKERODE_DIR.resolve("node_modules");
    }
}
