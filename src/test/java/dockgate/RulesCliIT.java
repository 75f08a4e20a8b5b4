package dockgate;

import dockgate.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rules features of the built jar, run as a user runs them: reload on SIGHUP and on a file change in
 * front of the real daemon, profiles by client address, and the check and explain commands.
 */
class RulesCliIT {

    private static final Path JAR = Path.of("target/dockgate.jar");

    @TempDir
    Path dir;

    private Process process;
    private final StringBuffer log = new StringBuffer();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "dockgate did not stop");
        }
    }

    private static String socket() {
        String socket = System.getenv("DOCKGATE_TEST_SOCKET");
        if (socket == null || socket.isBlank()) {
            fail("DOCKGATE_TEST_SOCKET is not set: run scripts/test, or export DOCKGATE_TEST_SOCKET=$(scripts/dev-daemon start)");
        }
        return socket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the jar and collects its log; returns once it says where it listens. */
    private int serve(String... args) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "--listen", "127.0.0.1:" + port,
                "--socket", socket(), "--allow-from", "127.0.0.0/8"));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.append(line).append('\n');
                }
            } catch (IOException e) {
                log.append("(log read failed: ").append(e).append(")\n");
            }
        }, "dockgate-log");
        reader.setDaemon(true);
        reader.start();
        await("dockgate listens").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("listening on 127.0.0.1:" + port) >= 0);
        return port;
    }

    private static int status(int port, String from, String target) {
        try (RawClient client = new RawClient(port, InetAddress.getByName(from))) {
            return client.get(target).status();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    @Test
    void sighupReloadsTheRulesAndABrokenFileKeepsThem() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "GET,HEAD /_ping\n");
        int port = serve("--rules", rules.toString(), "--watch-rules", "no");
        assertEquals(403, status(port, "127.0.0.1", "/v1.41/containers/json"));

        Files.writeString(rules, "GET,HEAD /_ping\nGET /containers/json\n");
        hangUp();
        await("the reload is logged").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("rules reloaded (SIGHUP) from " + rules + ": 2 rules in 1 profile") >= 0);
        assertEquals(200, status(port, "127.0.0.1", "/v1.41/containers/json"));

        Files.writeString(rules, "GET,HEAD /_ping\nGET /containers/json\nGET /containers/{idd}/json\n");
        hangUp();
        await("the broken file is logged").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("ERROR") >= 0);
        assertTrue(log.toString().contains("rules not reloaded (SIGHUP), still using those loaded at ")
                && log.toString().contains(rules + ":3: unknown placeholder {idd} (known: {id} {name})"), log.toString());
        assertEquals(200, status(port, "127.0.0.1", "/v1.41/containers/json"));
    }

    @Test
    void aChangedFileIsReloadedWithoutASignalAndProfilesFollowTheClientAddress() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "GET,HEAD /_ping\n");
        int port = serve("--rules", rules.toString());
        assertEquals(403, status(port, "127.0.0.2", "/v1.41/containers/json"));

        // As an editor saves: a new file renamed over the old one.
        Path temp = Files.writeString(dir.resolve("rules.new"),
                "GET,HEAD /_ping\nprofile proxy from 127.0.0.2\nGET /containers/json\n");
        Files.move(temp, rules, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await("the change is reloaded").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("rules reloaded (change of ") >= 0);
        assertTrue(log.toString().contains(": 2 rules in 2 profiles"), log.toString());
        assertEquals(200, status(port, "127.0.0.2", "/v1.41/containers/json"));
        assertEquals(403, status(port, "127.0.0.3", "/v1.41/containers/json"));
        await("the access log names the profile").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("\"GET /v1.41/containers/json\" allow 200 ") >= 0
                && log.indexOf("profile=proxy") >= 0);
        assertEquals(403, status(port, "127.0.0.2", "/v1.41/info"));
        await("the refusal names the profile").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf(
                " GET /v1.41/info: no rule allows GET /v1.41/info (profile proxy)\n") >= 0);
        assertTrue(log.toString().matches("(?s).*deny 127\\.0\\.0\\.3:\\d+ GET /v1\\.41/containers/json: no rule allows"
                + " GET /v1\\.41/containers/json\n.*"), log.toString());
    }

    @Test
    void sighupWithTheBuiltInRulesSaysThereIsNothingToReload() throws Exception {
        int port = serve();
        hangUp();
        await("the log says so").atMost(Duration.ofSeconds(30)).until(() -> log.indexOf("SIGHUP: the rules are built-in conf/rules (no --rules file): nothing to reload") >= 0);
        assertEquals(200, status(port, "127.0.0.1", "/_ping"));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dockgate did not exit");
        return new Run(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void checkAndExplainFromTheJar() throws Exception {
        Run ok = run("check", "conf/examples/profiles.rules");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().matches("conf/examples/profiles.rules: OK, \\d+ rules in 4 profiles\\n"), ok.out());

        Path bad = Files.writeString(dir.resolve("bad"), "GET /_ping\nprofile x from 10.0.0.0/8\nprofile x\n");
        Run broken = run("check", bad.toString());
        assertEquals(2, broken.exit());
        assertEquals(bad + ":3: profile name 'x' used twice\n", broken.out());

        Run allowed = run("explain", "--rules", "conf/examples/profiles.rules", "--client", "172.30.2.9",
                "GET", "/v1.41/containers/abc/logs?follow=1");
        assertEquals(0, allowed.exit(), allowed.err());
        assertTrue(allowed.out().contains("profile:   log-viewer (client 172.30.2.9 is in 172.30.2.0/24)"), allowed.out());

        Run denied = run("explain", "POST", "/v1.41/containers/create");
        assertEquals(1, denied.exit());
        Run usage = run("explain", "GET");
        assertEquals(2, usage.exit());

        Run help = run("--help");
        assertTrue(help.out().contains("dockgate check FILE...") && help.out().contains("dockgate explain"), help.out());
    }
}
