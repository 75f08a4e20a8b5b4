package dockgate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandLineTest {

    private static CommandLine parse(Map<String, String> env, String... args) throws UsageException {
        return CommandLine.parse(args, env);
    }

    @Test
    void defaults() throws UsageException {
        CommandLine line = parse(Map.of());
        assertEquals(CommandLine.Action.RUN, line.action());
        assertEquals("127.0.0.1", line.listenHost());
        assertEquals(2375, line.listenPort());
        assertEquals(Path.of("/var/run/docker.sock"), line.socket());
        assertNull(line.rules());
        assertEquals(Duration.ofSeconds(60), line.upstreamTimeout());
    }

    @Test
    void flagsInBothFormsWinOverTheEnvironment() throws UsageException {
        Map<String, String> env = Map.of("DOCKGATE_LISTEN", "0.0.0.0:1", "DOCKGATE_SOCKET", "/env.sock",
                "DOCKGATE_RULES", "/env.rules", "DOCKGATE_UPSTREAM_TIMEOUT", "5s");
        CommandLine line = parse(env, "--listen", "[::1]:2376", "--socket=/flag.sock", "--rules", "r",
                "--upstream-timeout=500ms");
        assertEquals("::1", line.listenHost());
        assertEquals(2376, line.listenPort());
        assertEquals(Path.of("/flag.sock"), line.socket());
        assertEquals(Path.of("r"), line.rules());
        assertEquals(Duration.ofMillis(500), line.upstreamTimeout());
    }

    @Test
    void environmentVariablesApplyWithoutFlags() throws UsageException {
        CommandLine line = parse(Map.of("DOCKGATE_LISTEN", "127.0.0.2:9000", "DOCKGATE_SOCKET", "/env.sock",
                "DOCKGATE_RULES", "/env.rules", "DOCKGATE_UPSTREAM_TIMEOUT", "2m"));
        assertEquals("127.0.0.2", line.listenHost());
        assertEquals(9000, line.listenPort());
        assertEquals(Path.of("/env.sock"), line.socket());
        assertEquals(Path.of("/env.rules"), line.rules());
        assertEquals(Duration.ofMinutes(2), line.upstreamTimeout());
    }

    @Test
    void theSocketFollowsAUnixDockerHostButNotATcpOne() throws UsageException {
        assertEquals(Path.of("/run/user/1000/docker.sock"),
                parse(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock")).socket());
        // DOCKER_HOST may well point at dockgate itself; the daemon is then at the usual place.
        assertEquals(Path.of("/var/run/docker.sock"), parse(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).socket());
    }

    @Test
    void helpAndVersion() throws UsageException {
        assertEquals(CommandLine.Action.HELP, parse(Map.of(), "--help").action());
        assertEquals(CommandLine.Action.VERSION, parse(Map.of(), "--version").action());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus                     | unknown option '--bogus' (see --help)",
            "--listen                    | --listen needs a value (see --help)",
            "--listen=2375               | --listen: expected HOST:PORT, got '2375'",
            "--listen=localhost:99999    | --listen: port 99999 is out of range",
            "--listen=:2375              | --listen: expected HOST:PORT, got ':2375'",
            "--upstream-timeout=0        | --upstream-timeout: expected a positive time such as 60s, 500ms or 2m, got '0'",
            "--upstream-timeout=soon     | --upstream-timeout: expected a positive time such as 60s, 500ms or 2m, got 'soon'",
            "--socket=                   | --socket: the path is empty",
            "serve                       | unknown option 'serve' (see --help)",
    })
    void badFlagsNameThemselves(String arg, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), arg.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aBadEnvironmentValueIsReportedUnderItsFlagName() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of("DOCKGATE_LISTEN", "nowhere")));
        assertEquals("--listen: expected HOST:PORT, got 'nowhere'", e.getMessage());
    }
}
