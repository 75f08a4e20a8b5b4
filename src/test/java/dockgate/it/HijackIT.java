package dockgate.it;

import static dockgate.it.It.IMAGE;
import static dockgate.it.It.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docker exec and docker attach through a gateway whose rules opt in to hijacked streams: the real CLI
 * against the real daemon, including either side ending its half of the stream or going away.
 */
@Timeout(180)
class HijackIT {

    /** What exec and attach need, with the two stream routes marked hijack. */
    static final String RULES = """
            GET,HEAD  /_ping
            GET       /containers/{id}/json
            POST      /containers/{id}/exec
            POST      /exec/{id}/start          hijack
            GET       /exec/{id}/json
            POST      /exec/{id}/resize
            POST      /containers/{id}/attach   hijack
            POST      /containers/{id}/resize
            POST      /containers/{id}/wait
            """;

    static DockerClient daemon;
    static Gateway gateway;
    static int port;
    static String container;

    @BeforeAll
    static void start() throws Exception {
        daemon = It.daemon();
        container = daemon.createContainerCmd(IMAGE).withName("dockgate-it-" + It.unique() + "-hijack")
                .withCmd("sleep", "3600").withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        daemon.startContainerCmd(container).exec();
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.parse("hijack-rules", RULES)));
        port = gateway.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (daemon != null) {
            It.removeContainerQuietly(daemon, container);
            daemon.close();
        }
    }

    @Test
    void execOutputAndExitCodeComeBack() throws Exception {
        It.Result result = It.docker(port, "exec", container, "sh", "-c", "echo out-line; echo err-line >&2");
        assertEquals(0, result.exit(), result.toString());
        assertEquals("out-line\n", result.out());
        assertEquals("err-line\n", result.err());

        It.Result three = It.docker(port, "exec", container, "sh", "-c", "exit 3");
        assertEquals(3, three.exit(), three.toString());
    }

    @Test
    void stdinEndsWhenTheClientClosesItsSide() throws Exception {
        Process p = It.cli(port, "exec", "-i", container, "cat").redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cat did not end after its stdin was closed");
        assertEquals("hello\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theDaemonEndingTheStreamEndsTheClientWhileItsStdinIsStillOpen() throws Exception {
        Process p = It.cli(port, "exec", "-i", container, "sh", "-c", "echo bye")
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream stdinHeldOpen = p.getOutputStream()) {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the client did not end when the exec'd process did");
            assertEquals("bye\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    void aTtyExecWorks() throws Exception {
        Path script = Path.of("/usr/bin/script");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script), "needs script(1) for a pty");
        String docker = String.join(" ", It.cli(port).command());
        Process p = new ProcessBuilder("script", "-qec", docker + " exec -it " + container + " sh -c 'echo tty-ok; tty'",
                "/dev/null").redirectInput(new java.io.File("/dev/null")).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "docker exec -it did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        // script(1), its own stdin at an end, sends the container a NUL, which the container's tty echoes
        // (as "^@", or raw) wherever it falls; it does so against the daemon's own socket too, 28 runs in 30.
        String withoutEcho = out.replace("^@", "").replace("\0", "");
        assertTrue(withoutEcho.contains("tty-ok\r\n/dev/pts/"), out);
    }

    @Test
    void attachSeesAContainerPrintAndExit() throws Exception {
        String attached = daemon.createContainerCmd(IMAGE).withName("dockgate-it-" + It.unique() + "-attach")
                .withCmd("sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.05; done; echo attached-out; exit 7")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();
        Process events = null;
        Process attach = null;
        try {
            daemon.startContainerCmd(attached).exec();
            // The daemon announces each attach: the container is told to go on only once the client is attached.
            // --since replays an attach that happened before docker events had subscribed (one CI run hung
            // on exactly that race).
            events = new ProcessBuilder("docker", "-H", "unix://" + It.socket(), "events", "--since",
                    Long.toString(Instant.now().getEpochSecond() - 1), "--filter", "container=" + attached,
                    "--filter", "event=attach", "--format", "{{.Action}}").start();
            attach = It.cli(port, "attach", "--no-stdin", attached).start();
            BufferedReader seen = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("attach", CompletableFuture.supplyAsync(() -> {
                try {
                    return seen.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS), "the daemon saw no attach");
            String execId = daemon.execCreateCmd(attached).withCmd("touch", "/tmp/go").exec().getId();
            daemon.execStartCmd(execId).start().awaitCompletion(20, TimeUnit.SECONDS);
            assertTrue(attach.waitFor(30, TimeUnit.SECONDS), "docker attach did not end with its container");
            assertEquals("attached-out\n", new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(7, attach.exitValue());
        } finally {
            if (events != null) events.destroyForcibly();
            if (attach != null) attach.destroyForcibly();
            It.removeContainerQuietly(daemon, attached);
        }
    }

    @Test
    void aKilledClientMakesTheGatewayCloseItsDaemonConnection() throws Exception {
        long self = ProcessHandle.current().pid();
        Process p = It.cli(port, "exec", container, "sh", "-c", "echo start; while true; do echo tick; sleep 0.1; done")
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("start", out.readLine());
            Set<Long> during = ProcProbe.connectionsTo(self, It.socket());
            assertFalse(during.isEmpty(), "no daemon connection while streaming");
            p.destroyForcibly().waitFor();
            // Idle pooled connections stay; the one that carried the stream must go.
            assertTrue(It.await(Duration.ofSeconds(10), () -> {
                Set<Long> gone = new HashSet<>(during);
                gone.removeAll(ProcProbe.connectionsTo(self, It.socket()));
                return !gone.isEmpty();
            }), "the daemon connection of a killed client's exec stayed open");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void execWorksOverMutualTls(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        dockgate.testing.TestCertificates certs = dockgate.testing.TestCertificates.make(dir, "dockgate test CA");
        try (Gateway tls = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.parse("hijack-rules", RULES))
                .withTls(new dockgate.access.TlsFiles(certs.serverCert, certs.serverKey, certs.ca)))) {
            String[] tlsFlags = {"--tlsverify", "--tlscacert", certs.ca.toString(), "--tlscert",
                    certs.clientCert.toString(), "--tlskey", certs.clientKey.toString()};
            It.Result result = It.docker(tls.port(), concat(tlsFlags, "exec", container, "sh", "-c", "echo tls-out; exit 4"));
            assertEquals(4, result.exit(), result.toString());
            assertEquals("tls-out\n", result.out());
            Process p = It.cli(tls.port(), concat(tlsFlags, "exec", "-i", container, "cat"))
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write("over-tls\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cat over TLS did not end after its stdin was closed");
            assertEquals("over-tls\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    void execWorksOverTheUnixListener(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path socket = dir.resolve("g.sock");
        try (Gateway unix = Gateway.start(Config.defaults("127.0.0.1", 0, It.socket(), Profile.parse("hijack-rules", RULES))
                .withListeners(List.of(dockgate.ListenSpec.unix(socket, 0600, null))))) {
            String host = "unix://" + socket;
            It.Result result = It.run(It.cliAt(host, "exec", container, "sh", "-c", "echo unix-out; echo unix-err >&2; exit 5"),
                    It.CLI_TIMEOUT);
            assertEquals(5, result.exit(), result.toString());
            assertEquals("unix-out\n", result.out());
            assertEquals("unix-err\n", result.err());
            // The CLI closes its sending side at once when there is no stdin; the output must still all arrive
            // (its tail was once lost in about half the runs, when a write had to wait after that close).
            for (int run = 0; run < 3; run++) {
                Process p = It.cliAt(host, "exec", container, "head", "-c", "4194304", "/dev/zero").start();
                p.getOutputStream().close();
                CompletableFuture<Long> length = CompletableFuture.supplyAsync(() -> {
                    try {
                        return p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "docker exec over the Unix listener did not end");
                assertEquals(4194304L, length.get(10, TimeUnit.SECONDS), "output of run " + run);
                assertEquals(0, p.exitValue());
            }
            // A stdin larger than a socket buffer each way, then its end, which ends cat.
            byte[] big = new byte[1024 * 1024];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Process p = It.cliAt(host, "exec", "-i", container, "cat").redirectInput(ProcessBuilder.Redirect.PIPE).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(big);
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cat over the Unix listener did not end after its stdin was closed");
            assertTrue(java.util.Arrays.equals(big, out.get(10, TimeUnit.SECONDS)), "cat's output differs from its input");
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void withTheDefaultRulesExecIsRefusedAndNothingRuns() throws Exception {
        try (Gateway plain = It.startGateway()) {
            List<String> before = daemon.inspectContainerCmd(container).exec().getExecIds();
            It.Result result = It.docker(plain.port(), "exec", container, "touch", "/tmp/refused");
            assertEquals(1, result.exit(), result.toString());
            assertTrue(result.err().contains(REFUSED), result.err());
            assertEquals(before, daemon.inspectContainerCmd(container).exec().getExecIds());
            It.Result check = It.docker(port, "exec", container, "test", "-e", "/tmp/refused");
            assertEquals(1, check.exit(), "the refused command ran: " + check);
        }
    }
}
