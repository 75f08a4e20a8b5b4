package dockgate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built jar, run as a user runs it: exit codes and what it prints. */
class CliIT {

    private static final Path JAR = Path.of("target/dockgate.jar");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dockgate did not exit");
        return new Run(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void versionAndHelp() throws Exception {
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().matches("dockgate \\d+\\.\\d+\\.\\d+\\S*\\n"), version.out());
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--listen HOST:PORT"), help.out());
    }

    @Test
    void aBadFlagIsOneLineAndExitCode2() throws Exception {
        Run run = run("--listen", "nowhere");
        assertEquals(2, run.exit());
        assertEquals("dockgate: --listen: expected HOST:PORT or unix:PATH, got 'nowhere'\n", run.err());
    }

    @Test
    void aUnixListenerWhereAFileIsIsRefusedAndTheFileKept() throws Exception {
        Path file = dir.resolve("docker.sock");
        Files.writeString(file, "precious");
        Run run = run("--listen", "unix:" + file + ",mode=0660", "--socket", dir.resolve("absent.sock").toString());
        assertEquals(1, run.exit());
        assertEquals("dockgate: cannot serve on unix:" + file + ": " + file
                + " exists and is not a socket; dockgate leaves it alone\n", run.err());
        assertEquals("precious", Files.readString(file));
        Run badMode = run("--listen", "unix:" + file + ",mode=0888");
        assertEquals(2, badMode.exit());
        assertEquals("dockgate: --listen unix:" + file + ": mode must be octal 0000 to 0777, got '0888'\n", badMode.err());
    }

    @Test
    void aBrokenRulesFileNamesFileAndLineAndNothingListens() throws Exception {
        Path rules = dir.resolve("rules");
        Files.writeString(rules, "# fine\nGET /_ping\nFETCH /containers/json\n");
        int port = freePort();
        Run run = run("--rules", rules.toString(), "--listen", "127.0.0.1:" + port);
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("dockgate: " + rules + ":3: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void aMissingRulesFileIsAnError() throws Exception {
        Run run = run("--rules", dir.resolve("absent").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("dockgate: cannot read rules file "), run.err());
    }

    @Test
    void startsWithoutTheDaemonAndSaysWhereItListens() throws Exception {
        int port = freePort();
        Path socket = dir.resolve("absent.sock");
        Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "--listen", "127.0.0.1:" + port,
                "--socket", socket.toString()).redirectErrorStream(true).start();
        try {
            StringBuilder seen = new StringBuilder();
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                if (seen.indexOf("listening on") >= 0 && seen.indexOf("does not answer yet") >= 0) {
                    break;
                }
            }
            String log = seen.toString();
            assertTrue(log.contains("the Docker daemon at " + socket + " does not answer yet (no such socket file)"), log);
            assertTrue(log.contains("listening on 127.0.0.1:" + port + ", daemon socket " + socket
                    + ", rules built-in conf/rules ("), log);
            try (dockgate.testing.RawClient client = new dockgate.testing.RawClient(port)) {
                assertEquals(502, client.get("/_ping").status());
            }
        } finally {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void compatModeRefusesABadValueAndPrintsItsRules() throws Exception {
        Run bad = run(Map.of("POST", "true"), "--compat", "tecnativa");
        assertEquals(2, bad.exit());
        assertEquals("dockgate: --compat tecnativa: POST must be 1 or 0, as docker-socket-proxy documents,"
                + " got 'true'\n", bad.err());

        Run both = run(Map.of("DOCKGATE_COMPAT", "tecnativa"), "--rules", "conf/rules");
        assertEquals(2, both.exit());
        assertTrue(both.err().startsWith("dockgate: --compat and --rules cannot be used together"), both.err());

        Run print = run(Map.of("CONTAINERS", "1"), "--compat", "tecnativa", "--print-rules");
        assertEquals(0, print.exit(), print.err());
        assertTrue(print.out().contains("\nGET,HEAD         /containers/json\n"), print.out());
        assertTrue(print.out().contains("# sections on: CONTAINERS EVENTS PING VERSION; methods on: GET HEAD;"),
                print.out());
    }

    @Test
    void theJarListsItsPresetsAndPrintsOne() throws Exception {
        Run print = run("--preset", "prometheus", "--print-rules");
        assertEquals(0, print.exit(), print.err());
        assertTrue(print.out().startsWith("# preset prometheus ("), print.out());
        assertTrue(print.out().contains("\nGET       /networks   # preset prometheus:"), print.out());

        Run unknown = run("--preset", "nope");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("dockgate: --preset: no preset named 'nope' (presets: autoheal, ci, compose,"),
                unknown.err());
        assertTrue(unknown.err().contains(" traefik, "), unknown.err());
    }

    @Test
    void auditModeWarnsLoudlyAtStartAndWritesTheLearnedFileAtExit() throws Exception {
        int port = freePort();
        Path learned = dir.resolve("learned.rules");
        Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "--listen", "127.0.0.1:" + port,
                "--socket", dir.resolve("absent.sock").toString(), "--mode", "audit", "--audit-rules", learned.toString())
                .redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("AUDIT MODE: the rules that allow the traffic seen are written to")) {
                    break;
                }
            }
            String log = seen.toString();
            assertTrue(log.contains(" WARN Main - AUDIT MODE: every call is forwarded, the rules are NOT enforced\n"), log);
            assertTrue(log.contains(" WARN Main - AUDIT MODE: the rules that allow the traffic seen are written to "
                    + learned.toAbsolutePath() + " "), log);
            try (dockgate.testing.RawClient client = new dockgate.testing.RawClient(port)) {
                assertEquals(502, client.get("/v1.41/containers/create").status());
            }
        } finally {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        }
        String rules = Files.readString(learned);
        assertTrue(rules.contains("\nGET       /containers/create\n"), rules);
    }

    @Test
    void anAuditRulesFileThatCannotBeWrittenIsAnError() throws Exception {
        Path learned = dir.resolve("no-such-dir").resolve("learned.rules");
        Run run = run("--listen", "127.0.0.1:" + freePort(), "--mode=audit", "--audit-rules", learned.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("cannot write the audit rules file " + learned + ": "), run.err());
    }
}
