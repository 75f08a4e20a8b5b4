package dockgate.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles in a rules file: their syntax, its errors, and which profile judges which client. */
class RulebookTest {

    private static final String PROFILES = """
            # default: what unlisted clients get
            GET /_ping

            profile proxy from 10.0.0.0/8, 192.168.1.7
            GET /_ping
            GET /containers/json

            profile ci from 10.1.0.0/16      # inside proxy's range: proxy comes first and wins
            POST /images/{name}/tag

            profile dashboard                # by name only
            GET /info

            profile v6 from fd00::/8
            GET /version
            """;

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void theFirstProfileWhoseRangesContainTheClientDecides() throws Exception {
        Rulebook book = Rulebook.parse("p", PROFILES);
        assertEquals("proxy", book.profileFor(ip("10.0.0.1")).name());
        assertEquals("proxy", book.profileFor(ip("10.1.2.3")).name());
        assertEquals("proxy", book.profileFor(ip("192.168.1.7")).name());
        assertEquals("default", book.profileFor(ip("192.168.1.8")).name());
        assertEquals("default", book.profileFor(ip("127.0.0.1")).name());
        assertEquals("v6", book.profileFor(ip("fd12::1")).name());
        // An IPv4 client of a dual-stack listener arrives mapped into IPv6.
        assertEquals("proxy", book.profileFor(ip("::ffff:10.9.9.9")).name());
        assertEquals("default", book.profileFor(null).name());
        assertTrue(book.profileFor(ip("10.0.0.1")).decide("GET", "/containers/json", Query.EMPTY).allowed());
        assertFalse(book.profileFor(ip("127.0.0.1")).decide("GET", "/containers/json", Query.EMPTY).allowed());
    }

    @Test
    void aProfileWithoutFromIsOnlyChosenByName() throws Exception {
        Rulebook book = Rulebook.parse("p", PROFILES);
        Profile dashboard = book.profile("dashboard");
        assertTrue(dashboard.decide("GET", "/info", Query.EMPTY).allowed());
        assertFalse(dashboard.decide("GET", "/_ping", Query.EMPTY).allowed());
        for (String anyone : List.of("10.0.0.1", "127.0.0.1", "8.8.8.8", "fd00::1")) {
            assertFalse(book.profileFor(ip(anyone)).name().equals("dashboard"), anyone);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> book.profile("dashbaord"));
        assertEquals("no profile named 'dashbaord' in p (it has: default, proxy, ci, dashboard, v6)", e.getMessage());
        assertTrue(book.findProfile("dashbaord").isEmpty());
    }

    @Test
    void countsRulesAndProfilesAndKeepsLinesOfEachRule() throws Exception {
        Rulebook book = Rulebook.parse("p", PROFILES);
        assertEquals(6, book.size());
        assertEquals(List.of("default", "proxy", "ci", "dashboard", "v6"),
                book.profiles().stream().map(Profile::name).toList());
        Decision tag = book.profile("ci").decide("POST", "/images/a/tag", Query.EMPTY);
        assertEquals("p:9", tag.rule().location());
        assertEquals("10.0.0.0/8,192.168.1.7", book.rangesOf("proxy").toString());
    }

    @Test
    void aFileWithoutProfilesIsTheDefaultProfileAlone() throws Exception {
        String text = "GET /_ping\nGET /version\n";
        Rulebook book = Rulebook.parse("plain", text);
        assertEquals(List.of("default"), book.profiles().stream().map(Profile::name).toList());
        assertEquals(2, book.size());
        assertEquals(book.profile("default"), book.profileFor(ip("10.0.0.1")));
        Profile policy = Profile.parse("plain", text);
        assertEquals(2, policy.size());
        assertEquals("default", policy.name());
    }

    @Test
    void theDefaultProfileMayBeNamedAsTheFirstLine() throws Exception {
        Rulebook book = Rulebook.parse("p", "# header\nprofile default\nGET /_ping\nprofile a from 10.0.0.0/8\nGET /info\n");
        assertEquals(List.of("default", "a"), book.profiles().stream().map(Profile::name).toList());
        assertTrue(book.profileFor(ip("127.0.0.1")).decide("GET", "/_ping", Query.EMPTY).allowed());
    }

    @Test
    void policyRefusesAFileWithProfilesAtTheFirstProfileLine() {
        RulesException e = assertThrows(RulesException.class, () -> Profile.parse("p", PROFILES));
        assertEquals(4, e.line());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("profile", "profile needs a name: profile NAME [from CIDR[,CIDR...]]"),
                Arguments.of("profile from 10.0.0.0/8", "profile needs a name: profile NAME [from CIDR[,CIDR...]]"),
                Arguments.of("profile a from", "'from' needs client address ranges, e.g. from 10.0.0.0/8,192.168.1.7"),
                Arguments.of("profile a 10.0.0.0/8", "unexpected '10.0.0.0/8' after profile a (expected: from CIDR[,CIDR...], or checks=, owner=, scope=, scope-kinds=, preset=)"),
                Arguments.of("profile a from 10.0.0.0/33", "profile a: '10.0.0.0/33' has a prefix length outside 0-32"),
                Arguments.of("profile a from example.com", "profile a: 'example.com' is not an address or CIDR block"),
                Arguments.of("profile a from 10.0.0.0/8 192.168.0.0/16",
                        "profile a: separate address ranges with ',' in '10.0.0.0/8 192.168.0.0/16'"),
                Arguments.of("profile a from 10.0.0.0/8,,10.1.0.0/16", "profile a: empty entry in '10.0.0.0/8,,10.1.0.0/16'"),
                Arguments.of("profile a/b", "bad profile name 'a/b' (letters, digits, '_', '.', '-'; starting with a letter or digit)"),
                Arguments.of("profile first", "profile name 'first' used twice"),
                Arguments.of("profile default", "profile name 'default' used twice (the rules before the first profile line are the default profile)"),
                Arguments.of("profile default from 10.0.0.0/8",
                        "the default profile is for every client no other profile matches; it takes no 'from'"),
                Arguments.of("PROFILE a", "unknown method 'PROFILE' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)"));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("errors")
    void badProfileLinesNameFileLineAndProblem(String badLine, String problem) {
        RulesException e = assertThrows(RulesException.class,
                () -> Rulebook.parse("my/rules", "GET /_ping\nprofile first from 10.0.0.0/8\nGET /info\n" + badLine + "\nGET /x\n"));
        assertEquals("my/rules:4: " + problem, e.getMessage());
        assertEquals(4, e.line());
    }

    @Test
    void everyBadLineIsReportedNotOnlyTheFirst() {
        RulesException e = assertThrows(RulesException.class,
                () -> Rulebook.parse("r", "FETCH /a\nGET /_ping\nprofile\nGET /{bad}\n"));
        assertEquals("r:1: unknown method 'FETCH' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)", e.getMessage());
        assertEquals(List.of("r:3: profile needs a name: profile NAME [from CIDR[,CIDR...]]",
                        "r:4: unknown placeholder {bad} (known: {id} {name})"),
                Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).toList());
    }
}
