package dockgate;

import dockgate.server.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    private static CommandLine parse(Map<String, String> env, String... args) throws UsageException {
        return CommandLine.parse(args, env);
    }

    @Test
    void defaults() throws UsageException {
        CommandLine line = parse(Map.of());
        assertEquals(CommandLine.Action.RUN, line.action());
        assertEquals(List.of(ListenSpec.tcp("127.0.0.1", 2375)), line.listeners());
        assertEquals(Path.of("/var/run/docker.sock"), line.socket());
        assertNull(line.rules());
        assertEquals(Duration.ofSeconds(60), line.daemonTimeout());
    }

    @Test
    void flagsInBothFormsWinOverTheEnvironment() throws UsageException {
        Map<String, String> env = Map.of("DOCKGATE_LISTEN", "0.0.0.0:1", "DOCKGATE_SOCKET", "/env.sock",
                "DOCKGATE_RULES", "/env.rules", "DOCKGATE_UPSTREAM_TIMEOUT", "5s");
        CommandLine line = parse(env, "--listen", "[::1]:2376", "--socket=/flag.sock", "--rules", "r",
                "--upstream-timeout=500ms");
        assertEquals(List.of(ListenSpec.tcp("::1", 2376)), line.listeners());
        assertEquals(Path.of("/flag.sock"), line.socket());
        assertEquals(Path.of("r"), line.rules());
        assertEquals(Duration.ofMillis(500), line.daemonTimeout());
    }

    @Test
    void environmentVariablesApplyWithoutFlags() throws UsageException {
        CommandLine line = parse(Map.of("DOCKGATE_LISTEN", "127.0.0.2:9000", "DOCKGATE_SOCKET", "/env.sock",
                "DOCKGATE_RULES", "/env.rules", "DOCKGATE_UPSTREAM_TIMEOUT", "2m"));
        assertEquals(List.of(ListenSpec.tcp("127.0.0.2", 9000)), line.listeners());
        assertEquals(Path.of("/env.sock"), line.socket());
        assertEquals(Path.of("/env.rules"), line.rules());
        assertEquals(Duration.ofMinutes(2), line.daemonTimeout());
    }

    @Test
    void theSocketFollowsAUnixDockerHostButNotATcpOne() throws UsageException {
        assertEquals(Path.of("/run/user/1000/docker.sock"),
                parse(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock")).socket());
        // DOCKER_HOST may well point at dockgate itself; the daemon is then at the usual place.
        assertEquals(Path.of("/var/run/docker.sock"), parse(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).socket());
    }

    @Test
    void theRulesFileIsWatchedUnlessToldNot() throws UsageException {
        assertTrue(parse(Map.of()).watchRules());
        assertFalse(parse(Map.of(), "--watch-rules", "no").watchRules());
        assertFalse(parse(Map.of("DOCKGATE_WATCH_RULES", "no")).watchRules());
        assertTrue(parse(Map.of("DOCKGATE_WATCH_RULES", "no"), "--watch-rules=yes").watchRules());
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
            "--listen=2375               | --listen: expected HOST:PORT or unix:PATH, got '2375'",
            "--listen=localhost:99999    | --listen: port 99999 is out of range",
            "--listen=:2375              | --listen: expected HOST:PORT or unix:PATH, got ':2375'",
            "--upstream-timeout=0        | --upstream-timeout: expected a positive time such as 60s, 500ms or 2m, got '0'",
            "--upstream-timeout=soon     | --upstream-timeout: expected a positive time such as 60s, 500ms or 2m, got 'soon'",
            "--socket=                   | --socket: the path is empty",
            "serve                       | unknown option 'serve' (see --help)",
            "--max-streams=0             | --max-streams: expected a positive number such as 100, 16k or 16m, got '0'",
            "--max-body-bytes=lots       | --max-body-bytes: expected a positive number such as 100, 16k or 16m, got 'lots'",
            "--head-timeout=-1s          | --head-timeout: expected a positive time such as 60s, 500ms or 2m, got '-1s'",
            "--allow-from=10.0.0.0/33    | --allow-from: '10.0.0.0/33' has a prefix length outside 0-32",
            "--allow-from=example.com    | --allow-from: 'example.com' is not an address or CIDR block",
            "--allow-from=10.1/16        | --allow-from: '10.1/16' is not an address or CIDR block",
            "--allow-from=10.0.0         | --allow-from: '10.0.0' is not an address or CIDR block",
            "--allow-from=010.0.0.1      | --allow-from: '010.0.0.1' is not an address or CIDR block",
            "--allow-from=10.0.0.256     | --allow-from: '10.0.0.256' is not an address or CIDR block",
            "--allow-from=10.0.0.1.      | --allow-from: '10.0.0.1.' is not an address or CIDR block",
            "--tls-cert=c.pem            | --tls-cert needs --tls-key",
            "--tls-key=k.pem             | --tls-key needs --tls-cert",
            "--tls-client-ca=ca.pem      | --tls-client-ca needs --tls-cert and --tls-key",
            "--watch-rules=off           | --watch-rules: expected yes or no, got 'off'",
            "--admin=9000                | --admin: expected HOST:PORT, got '9000'",
            "--admin=[::1]:70000         | --admin: port 70000 is out of range",
            "--admin=127.0.0.1:2375      | --admin: 127.0.0.1:2375 is the API's --listen address; the admin listener needs an address of its own",
            "--compat=haproxy            | --compat: the only compatibility mode is 'tecnativa', got 'haproxy'",
            "--compat=tecnativa --rules=r | --compat and --rules cannot be used together: --compat builds the rules from the environment",
            "--preset=traefik --rules=r  | --preset and --rules cannot be used together: a preset is a rules file built into dockgate",
            "--preset=traefik --compat=tecnativa | --preset and --compat cannot be used together: a preset is a rules file built into dockgate",
            "--mode=learn                | --mode: expected enforce or audit, got 'learn'",
            "--mode=AUDIT                | --mode: expected enforce or audit, got 'AUDIT'",
            "--audit-rules=x.rules       | --audit-rules needs --mode audit",
            "--mode=audit --audit-rules= | --audit-rules: the path is empty",
            "--mode=audit --rules=./r --audit-rules=r | --audit-rules: r is the --rules file; audit mode would overwrite it",
    })
    void badFlagsNameThemselves(String arg, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), arg.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void limitsAccessAndTls() throws UsageException {
        CommandLine line = parse(Map.of("DOCKGATE_MAX_STREAMS", "10"), "--max-body-bytes=16k", "--max-connections", "2k",
                "--head-timeout=500ms", "--idle-timeout=2m", "--allow-from=10.0.0.0/8,::1",
                "--tls-cert=c.pem", "--tls-key=k.pem", "--tls-client-ca=ca.pem");
        assertEquals(16 * 1024, line.limits().maxBodyBytes());
        assertEquals(2048, line.limits().maxConnections());
        assertEquals(10, line.limits().maxStreams());
        assertEquals(Duration.ofMillis(500), line.limits().headTimeout());
        assertEquals(Duration.ofMinutes(2), line.limits().idleTimeout());
        assertEquals(Limits.DEFAULTS.maxHeaders(), line.limits().maxHeaders());
        assertEquals("10.0.0.0/8,::1", line.allowFrom().toString());
        assertEquals(Path.of("ca.pem"), line.tls().clientCa());
        assertEquals("127.0.0.0/8,::1/128", parse(Map.of()).allowFrom().toString());
        assertEquals("anyone", parse(Map.of(), "--listen=0.0.0.0:2375").allowFrom().toString());
        assertNull(parse(Map.of()).tls());
    }

    @Test
    void aBadEnvironmentValueIsReportedUnderItsFlagName() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of("DOCKGATE_LISTEN", "nowhere")));
        assertEquals("--listen: expected HOST:PORT or unix:PATH, got 'nowhere'", e.getMessage());
    }

    @Test
    void theAdminListenerIsOffUnlessGivenAndNeverOnTheApiAddress() throws UsageException {
        assertNull(parse(Map.of()).admin());
        assertEquals(new ListenAddress("127.0.0.1", 9100), parse(Map.of(), "--admin", "127.0.0.1:9100").admin());
        assertEquals(new ListenAddress("::1", 9100), parse(Map.of("DOCKGATE_ADMIN", "[::1]:9100")).admin());
        assertEquals(new ListenAddress("0.0.0.0", 9100),
                parse(Map.of("DOCKGATE_ADMIN", "[::1]:9100"), "--admin=0.0.0.0:9100").admin());
        for (String[] clash : new String[][]{
                {"--listen=127.0.0.1:2375", "--admin=127.0.0.1:2375"},
                {"--listen=0.0.0.0:2375", "--admin=127.0.0.1:2375"},
                {"--listen=127.0.0.1:2375", "--admin=[::]:2375"},
                {"--listen=[::1]:2375", "--admin=[0:0:0:0:0:0:0:1]:2375"},
                {"--listen=LOCALHOST:2375", "--admin=localhost:2375"}}) {
            UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), clash));
            assertTrue(e.getMessage().startsWith("--admin: "), e.getMessage());
        }
        // Different ports, or both picking a free one, do not clash; nor do different addresses.
        parse(Map.of(), "--listen=127.0.0.1:2375", "--admin=127.0.0.1:2376");
        parse(Map.of(), "--listen=127.0.0.1:0", "--admin=127.0.0.1:0");
        parse(Map.of(), "--listen=127.0.0.1:2375", "--admin=10.1.2.3:2375");
    }

    @Test
    void compatModeFromFlagOrEnvironmentAndPrintRules() throws UsageException {
        assertEquals("tecnativa", parse(Map.of(), "--compat", "tecnativa").compat());
        CommandLine line = parse(Map.of("DOCKGATE_COMPAT", "tecnativa"), "--print-rules");
        assertEquals("tecnativa", line.compat());
        assertEquals(CommandLine.Action.PRINT_RULES, line.action());
        assertNull(parse(Map.of()).compat());
        UsageException e = assertThrows(UsageException.class,
                () -> parse(Map.of("DOCKGATE_COMPAT", "tecnativa", "DOCKGATE_RULES", "/r")));
        assertEquals("--compat and --rules cannot be used together: --compat builds the rules from the environment",
                e.getMessage());
    }

    @Test
    void auditModeLearnsIntoTheNamedFileOrTheDefaultOne() throws UsageException {
        assertNull(parse(Map.of()).auditRules());
        assertNull(parse(Map.of(), "--mode=enforce").auditRules());
        assertEquals(Path.of("dockgate-audit.rules"), parse(Map.of(), "--mode", "audit").auditRules());
        assertEquals(Path.of("/tmp/learned"), parse(Map.of("DOCKGATE_MODE", "audit"), "--audit-rules=/tmp/learned").auditRules());
        assertEquals(Path.of("e.rules"), parse(Map.of("DOCKGATE_MODE", "audit", "DOCKGATE_AUDIT_RULES", "e.rules")).auditRules());
        // The flag wins over the environment, here back to enforcing.
        assertNull(parse(Map.of("DOCKGATE_MODE", "audit"), "--mode=enforce").auditRules());
        assertEquals(Path.of("dockgate-audit.rules"),
                parse(Map.of(), "--mode=audit").config(dockgate.policy.Rulebook.builtIn()).auditRules());
    }
}
