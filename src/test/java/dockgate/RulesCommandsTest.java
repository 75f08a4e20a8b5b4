package dockgate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dockgate check} and {@code dockgate explain}: what they print and how they exit. */
class RulesCommandsTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Result check(String... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckCommand.run(List.of(files), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result explain(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ExplainCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result explain(String... args) {
        return explain(Map.of(), args);
    }

    private Path profiles() throws Exception {
        return Files.writeString(dir.resolve("rules"), """
                GET /_ping
                profile proxy from 10.0.0.0/8
                GET /containers/json
                POST /images/{name}/tag  repo=~myteam/.+
                profile named
                GET /info
                """);
    }

    @Test
    void checkSaysOkWithCounts() throws Exception {
        Path file = profiles();
        Result result = check(file.toString());
        assertEquals(0, result.exit());
        assertEquals(file + ": OK, 4 rules in 3 profiles\n"
                + file + ": warning: GET /_ping is not allowed in profile proxy (docker clients call /_ping first; allow GET,HEAD /_ping)\n"
                + file + ": warning: GET /_ping is not allowed in profile named (docker clients call /_ping first; allow GET,HEAD /_ping)\n",
                result.out());
        Result shipped = check("conf/rules");
        assertEquals(0, shipped.exit());
        assertTrue(shipped.out().matches("conf/rules: OK, \\d+ rules in 1 profile\\n"), shipped.out());
    }

    /** The docker CLI asks /_ping first, and refused fails with "client version ... is too new". */
    @Test
    void checkWarnsOfAFileWithoutPingButStillSaysOk() throws Exception {
        Path file = Files.writeString(dir.resolve("no-ping"), "GET /version\nGET /containers/json\n");
        Result result = check(file.toString());
        assertEquals(0, result.exit());
        assertEquals(file + ": OK, 2 rules in 1 profile\n" + file + ": warning: GET /_ping is not allowed"
                + " (docker clients call /_ping first; allow GET,HEAD /_ping)\n", result.out());
        Path headOnly = Files.writeString(dir.resolve("head-only"), "HEAD /_ping\n");
        assertTrue(check(headOnly.toString()).out().contains("warning: GET /_ping is not allowed"));
        Path both = Files.writeString(dir.resolve("both"), "GET,HEAD /_ping\n");
        assertEquals(both + ": OK, 1 rule in 1 profile\n", check(both.toString()).out());
    }

    @Test
    void checkPrintsEveryErrorWithFileAndLineAndExits2() throws Exception {
        Path file = Files.writeString(dir.resolve("bad"), "GET /_ping\nFETCH /x\nprofile a from 10.0.0.0/33\n");
        Result result = check(file.toString());
        assertEquals(2, result.exit());
        assertEquals(file + ":2: unknown method 'FETCH' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)\n"
                + file + ":3: profile a: '10.0.0.0/33' has a prefix length outside 0-32\n", result.out());
    }

    @Test
    void checkWithoutAFileOrWithAMissingOneIsAnError() {
        Result none = check();
        assertEquals(2, none.exit());
        assertEquals("dockgate: check needs a rules file: dockgate check FILE...\n", none.err());
        Result missing = check(dir.resolve("absent").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("dockgate: cannot read rules file " + dir.resolve("absent")), missing.err());
    }

    @Test
    void explainAnAllowedCallNamesTheRuleAndExits0() {
        Result result = explain("GET", "/v1.41/containers/json?all=1");
        assertEquals(0, result.exit(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals("request:   GET /v1.41/containers/json?all=1", lines.get(0));
        assertEquals("rules:     built-in conf/rules", lines.get(1));
        assertEquals("profile:   default (no --client given)", lines.get(2));
        assertEquals("canonical: /v1.41/containers/json?all=1", lines.get(3));
        assertTrue(lines.get(4).matches("decision:  allow, by built-in conf/rules:\\d+: GET +/containers/json"), lines.get(4));
    }

    @Test
    void explainADeniedCallSaysWhyAndExits1() {
        Result result = explain("POST", "/v1.41/containers/create");
        assertEquals(1, result.exit());
        assertTrue(result.out().matches("(?s).*\ndecision:  deny: no rule allows POST /v1.41/containers/create in profile default"
                + " \\(\\d+ rules; none matches\\)\n"), result.out());
    }

    @Test
    void explainShowsTheQueryAsTheDaemonIsSentItAndRefusesOneThatReadsTwoWays() {
        Result sent = explain("POST", "/images/a/tag?repo=team%2fapp&tag=v+1&&");
        assertTrue(sent.out().contains("\ncanonical: /images/a/tag?repo=team%2Fapp&tag=v%201\n"), sent.out());
        Result refused = explain("POST", "/images/a/tag?repo=b;repo=traefik");
        assertEquals(1, refused.exit());
        assertTrue(refused.out().endsWith("decision:  reject: the gateway answers 400 and asks no rule: bad query: ';' in"
                + " query string\n"), refused.out());
    }

    @Test
    void explainARawPathTheGatewayRefusesExits1() {
        Result result = explain("GET", "/containers/a%2e%2e/json");
        assertEquals(1, result.exit());
        assertTrue(result.out().contains("decision:  reject: the gateway answers 400 and asks no rule: bad request path: "),
                result.out());
    }

    @Test
    void explainPicksTheProfileByClientAddressOrName() throws Exception {
        Path file = profiles();
        Result proxy = explain("--rules", file.toString(), "--client", "10.1.2.3", "GET", "/containers/json");
        assertEquals(0, proxy.exit(), proxy.out() + proxy.err());
        assertTrue(proxy.out().contains("profile:   proxy (client 10.1.2.3 is in 10.0.0.0/8)\n"), proxy.out());
        assertTrue(proxy.out().contains("decision:  allow, by " + file + ":3: GET /containers/json\n"), proxy.out());

        Result other = explain("--rules=" + file, "--client", "192.0.2.1", "GET", "/containers/json");
        assertEquals(1, other.exit());
        assertTrue(other.out().contains("profile:   default (client 192.0.2.1 is in no profile's 'from' ranges)\n"), other.out());

        Result named = explain("--rules", file.toString(), "--profile", "named", "GET", "/v1.41/info");
        assertEquals(0, named.exit());
        assertTrue(named.out().contains("profile:   named (chosen with --profile)\n"), named.out());
    }

    @Test
    void explainShowsTheRuleWhoseConstraintRefused() throws Exception {
        Path file = profiles();
        Result result = explain("--rules", file.toString(), "--client", "10.0.0.1", "POST", "/images/app/tag?repo=evil/app");
        assertEquals(1, result.exit());
        assertTrue(result.out().contains("decision:  deny, by " + file + ":4: POST /images/{name}/tag  repo=~myteam/.+\n"),
                result.out());
        assertTrue(result.out().contains("reason:    "), result.out());
    }

    @Test
    void explainUsesDockgateRulesFromTheEnvironmentLikeServing() throws Exception {
        Path file = profiles();
        Result result = explain(Map.of("DOCKGATE_RULES", file.toString()), "GET", "/info");
        assertEquals(1, result.exit());
        assertTrue(result.out().contains("rules:     " + file + "\n"), result.out());
    }

    @Test
    void explainUsageErrorsExit2() throws Exception {
        Path file = profiles();
        for (List<String> args : List.of(List.of("GET"), List.of("--client", "example.com", "GET", "/_ping"),
                List.of("--client", "10.0.0.0/8", "GET", "/_ping"), List.of("--verbose", "GET", "/_ping"),
                List.of("--rules", file.toString(), "--profile", "nope", "GET", "/_ping"),
                List.of("--rules", dir.resolve("absent").toString(), "GET", "/_ping"),
                List.of("--client", "10.0.0.1", "--profile", "named", "GET", "/_ping"), List.of("GET", "/_ping", "--rules"))) {
            Result result = explain(args.toArray(String[]::new));
            assertEquals(2, result.exit(), args.toString());
            assertTrue(result.err().startsWith("dockgate: "), args + " " + result.err());
            assertEquals("", result.out(), args.toString());
        }
        Result unknown = explain("--rules", file.toString(), "--profile", "nope", "GET", "/_ping");
        assertEquals("dockgate: --profile: no profile named 'nope' in " + file + " (it has: default, proxy, named) (see --help)\n",
                unknown.err());
    }

    @Test
    void printRulesListsEveryProfileWithItsRangesAndReadsBackAsTheSameRules() throws Exception {
        dockgate.policy.Rulebook book = dockgate.policy.Rulebook.parse("r", """
                GET,HEAD /_ping

                profile proxy from 127.0.0.2, 10.0.0.0/8
                GET /containers/json   all=~1?

                profile named
                GET /events
                """);
        String listing = RulesListing.of(book);
        assertEquals("""
                # r (3 rules in 3 profiles)
                GET,HEAD /_ping   # r:1

                profile proxy from 127.0.0.2,10.0.0.0/8
                GET /containers/json   all=~1?   # r:4

                profile named
                GET /events   # r:7
                """, listing);
        dockgate.policy.Rulebook again = dockgate.policy.Rulebook.parse("listing", listing);
        assertEquals(List.of("default", "proxy", "named"),
                again.profiles().stream().map(dockgate.policy.Profile::name).toList());
        assertEquals(book.rangesOf("proxy").toString(), again.rangesOf("proxy").toString());
    }

    @Test
    void explainReadsItsFlagsAsTheGatewayReadsItsOwn() {
        assertEquals("dockgate: unknown option '--bogus' for explain (see --help)\n", explain("--bogus", "GET", "/_ping").err());
        assertEquals("dockgate: --client needs a value (see --help)\n", explain("GET", "/_ping", "--client").err());
        Result byEquals = explain("--profile=default", "GET", "/_ping");
        assertEquals(ExplainCommand.ALLOWED, byEquals.exit(), byEquals.err());
        assertTrue(byEquals.out().contains("profile:   default (chosen with --profile)"), byEquals.out());
        assertEquals(ExplainCommand.USAGE, explain("--client", "10.0.0.1", "--profile", "default", "GET", "/_ping").exit());
    }
}
