package dockgate.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dockgate.policy.Query;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.Policy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the path canonicaliser and the matcher behind it, over random raw paths and random
 * percent-encodings: the canonical form is a fixed point made of safe characters only, encoding never changes
 * a decision, and no encoding smuggles a dot segment past the check.
 */
class CanonicalPathPropertiesTest {

    private static final Policy RULES = Policy.builtIn();
    private static final String SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "get", "OPTIONS");

    // --- 1. any raw path: refused, or canonical and a fixed point -----------------------------------------

    @Property(tries = 2000)
    void everyAcceptedPathIsACanonicalFixedPoint(@ForAll("rawPaths") String raw) throws BadPathException {
        String canonical;
        try {
            canonical = CanonicalPath.of(raw);
        } catch (BadPathException refused) {
            Statistics.collect("refused");
            return;
        }
        Statistics.collect(canonical.equals(raw) ? "accepted as is" : "accepted, decoded");
        assertEquals(canonical, CanonicalPath.of(canonical), "not a fixed point: " + raw);
        assertCanonicalShape(canonical, raw);
    }

    /**
     * A reference reading of the rules in README and CanonicalPath's contract, written independently: the
     * real canonicaliser must accept exactly what it accepts, with the same result.
     */
    @Property(tries = 2000)
    void agreesWithAnIndependentReferenceCanonicaliser(@ForAll("rawPaths") String raw) {
        String expected = reference(raw);
        String actual;
        try {
            actual = CanonicalPath.of(raw);
        } catch (BadPathException e) {
            actual = null;
        }
        Statistics.collect(expected == null ? "both refuse" : "both accept");
        assertEquals(expected, actual, "raw " + printable(raw));
    }

    // --- 2. a decision depends on the canonical form only ---------------------------------------------------

    @Property(tries = 2000)
    void encodingNeverChangesADecision(@ForAll("canonicalRoutes") String canonical, @ForAll("encodingPlans") List<Integer> plan,
                                       @ForAll("methods") String method, @ForAll("queries") String query) throws BadPathException {
        String raw = encode(canonical, plan);
        Decision direct = RULES.decide(method, CanonicalPath.of(canonical), query);
        Statistics.collect(direct.allowed() ? "allowed" : "denied", encodesADot(canonical, plan) ? "dot encoded" : "no dot encoded");
        String derived;
        try {
            derived = CanonicalPath.of(raw);
        } catch (BadPathException refused) {
            assertTrue(encodesADot(canonical, plan), "refused although it only encodes non-dot characters: " + raw + " (" + refused.getMessage() + ")");
            return;
        }
        assertEquals(canonical, derived, "raw " + raw);
        Decision viaRaw = RULES.decide(method, derived, query);
        assertEquals(direct.allowed(), viaRaw.allowed(), raw);
        assertEquals(direct.rule(), viaRaw.rule(), raw);
        if (!direct.allowed()) {
            assertFalse(viaRaw.allowed(), "an encoding of a denied path was allowed: " + raw);
        }
    }

    @Property(tries = 1000)
    void nothingDerivedFromADeniedPathIsAllowed(@ForAll("deniedRoutes") String canonical, @ForAll("encodingPlans") List<Integer> plan,
                                                @ForAll("methods") String method, @ForAll("queries") String query) {
        assertFalse(RULES.decide(method, canonical, query).allowed(), "the generator produced an allowed route: " + canonical);
        String raw = encode(canonical, plan);
        try {
            String derived = CanonicalPath.of(raw);
            assertFalse(RULES.decide(method, derived, query).allowed(), "a denied path was allowed once encoded: " + raw);
        } catch (BadPathException refused) {
            // refused outright: fine
        }
    }

    // --- 3. encoding invariance on allowed routes -------------------------------------------------------

    @Property(tries = 2000)
    void anyEncodingOfAnAllowedRouteCanonicalisesBackOrIsRefusedForAnEncodedDot(
            @ForAll("allowedRoutes") String canonical, @ForAll("encodingPlans") List<Integer> plan) throws BadPathException {
        assertTrue(RULES.decide("GET", canonical, Query.EMPTY).allowed(), "generator produced a denied route: " + canonical);
        String raw = encode(canonical, plan);
        boolean dotEncoded = encodesADot(canonical, plan);
        if (dotEncoded) {
            assertThrows(BadPathException.class, () -> CanonicalPath.of(raw), raw);
        } else {
            assertEquals(canonical, CanonicalPath.of(raw), raw);
            assertTrue(RULES.decide("GET", CanonicalPath.of(raw), Query.EMPTY).allowed(), raw);
        }
    }

    // --- 4. dot segments hidden by encodings --------------------------------------------------------------

    @Property(tries = 2000)
    void hiddenDotSegmentsAreRefused(@ForAll("allowedRoutes") String route, @ForAll("hiddenDots") String dots,
                                     @ForAll("separators") String separator, @ForAll("positions") int position) {
        // Either right after the leading '/' ("/<dots><sep>rest") or after one of the route's segments
        // ("/containers<sep><dots>/abc/json"), so the target still starts with '/' and only the dots are wrong.
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < route.length(); i++) {
            if (route.charAt(i) == '/') {
                cuts.add(i);
            }
        }
        cuts.add(route.length());
        int at = position % (cuts.size() + 1);
        String raw;
        if (at == cuts.size()) {
            raw = "/" + dots + separator + route.substring(1);
        } else {
            int cut = cuts.get(at);
            raw = route.substring(0, cut) + separator + dots + route.substring(cut);
        }
        String tried = raw;
        assertThrows(BadPathException.class, () -> CanonicalPath.of(tried), () -> "accepted: " + tried);
    }

    // --- generators -----------------------------------------------------------------------------------

    /**
     * Characters that matter to a path parser, each possibly encoded in several ways. Harmless pieces are
     * frequent enough that a good share of the paths is accepted, so the fixed-point property has something
     * to check; the hostile ones are each rare but always present in the mix.
     */
    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> harmless = Arbitraries.of("a", "Z", "0", "9", "-", "_", "~", ":", "@", "!", "$", "&", "'", "(", ")",
                "*", "+", ",", "=", "v1.41", "_ping", "containers", "json", "images", "create", "abc");
        Arbitrary<String> dots = Arbitraries.of(".", "..", "...", ".a", "a.");
        Arbitrary<String> hostile = Arbitraries.of("/", "%", ";", "\\", "?", "#", " ", "\"", "<", ">", "[", "]", "{", "}", "|", "^",
                "`", "\u0000", "\t", "\r", "\n", "\u007f", "\u0080", "\u00e9", "\u00ff", "\u0100", "\u2028", "\uff0f", "%2",
                "%zz", "%u002e", "%c0%ae", "%e0%80%ae", "%c3%a9", "%C3", "%ff");
        Arbitrary<Integer> modes = Arbitraries.frequencyOf(Tuple.of(24, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.just(2)), Tuple.of(1, Arbitraries.just(3)), Tuple.of(1, Arbitraries.just(4)));
        Arbitrary<String> piece = Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(30, harmless), Tuple.of(3, dots), Tuple.of(2, hostile)), modes)
                .as(CanonicalPathPropertiesTest::spell);
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(12, piece.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts))),
                Tuple.of(1, Arbitraries.just("")));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(5).map(segments -> "/" + String.join("/", segments));
        return Arbitraries.frequencyOf(
                Tuple.of(8, path),
                Tuple.of(1, segment),
                Tuple.of(1, path.map(p -> "/" + p)));
    }

    /** One piece, spelled plainly (0), %XX (1), %xx (2), double-encoded %25XX (3) or %25xx (4). */
    private static String spell(String piece, int mode) {
        if (mode == 0 || piece.length() != 1) {
            return piece;
        }
        char c = piece.charAt(0);
        if (c > 0xff) {
            // Beyond Latin-1: spell its UTF-8 bytes.
            StringBuilder out = new StringBuilder();
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                out.append(escape(b & 0xff, mode));
            }
            return out.toString();
        }
        return escape(c, mode);
    }

    private static String escape(int value, int mode) {
        String hex = String.format(Locale.ROOT, "%02X", value);
        return switch (mode) {
            case 1 -> "%" + hex;
            case 2 -> "%" + hex.toLowerCase(Locale.ROOT);
            case 3 -> "%25" + hex;
            default -> "%25" + hex.toLowerCase(Locale.ROOT);
        };
    }

    @Provide
    Arbitrary<String> ids() {
        return Combinators.combine(
                        Arbitraries.strings().withChars("abcdefABCDEF0123456789").ofLength(1),
                        Arbitraries.strings().withChars("abcxyzABCXYZ0123456789_.-").ofMaxLength(12))
                .as((first, rest) -> first + rest)
                .filter(id -> !id.equals(".") && !id.equals(".."));
    }

    @Provide
    Arbitrary<String> imageNames() {
        Arbitrary<String> segment = Combinators.combine(
                        Arbitraries.strings().withChars("abcxyz0123456789").ofLength(1),
                        Arbitraries.strings().withChars("abcxyz0123456789_.:@-").ofMaxLength(10))
                .as((first, rest) -> first + rest);
        return segment.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
    }

    @Provide
    Arbitrary<String> versionPrefixes() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.integers().between(12, 45).map(minor -> "/v1." + minor)));
    }

    @Provide
    Arbitrary<String> allowedRoutes() {
        Arbitrary<String> shape = Arbitraries.oneOf(
                ids().map(id -> "/containers/" + id + "/json"),
                imageNames().map(name -> "/images/" + name + "/json"),
                imageNames().map(name -> "/images/" + name + "/history"),
                ids().map(id -> "/networks/" + id),
                ids().map(id -> "/volumes/" + id),
                Arbitraries.of("/_ping", "/version", "/info", "/events", "/system/df", "/containers/json", "/images/json",
                        "/networks", "/volumes"));
        return Combinators.combine(versionPrefixes(), shape).as((prefix, route) -> prefix + route);
    }

    @Provide
    Arbitrary<String> deniedRoutes() {
        Arbitrary<String> shape = Arbitraries.oneOf(
                ids().map(id -> "/containers/" + id + "/export"),
                ids().map(id -> "/containers/" + id + "/archive"),
                ids().map(id -> "/containers/" + id + "/attach/ws"),
                ids().map(id -> "/exec/" + id + "/start"),
                imageNames().map(name -> "/images/" + name + "/get"),
                ids().map(id -> "/containers/" + id),
                Arbitraries.of("/containers/create", "/build", "/session", "/images/create", "/images/get", "/v1.41/v1.41/_ping",
                        "/v1/_ping", "/V1.41/_ping", "/swarm/init", "/plugins/pull"));
        return Combinators.combine(versionPrefixes(), shape).as((prefix, route) -> prefix + route);
    }

    @Provide
    Arbitrary<String> canonicalRoutes() {
        return Arbitraries.oneOf(allowedRoutes(), deniedRoutes());
    }

    /** Per character: 0 plain (most often), 1 %XX, 2 %xx. Cycled over the path. */
    @Provide
    Arbitrary<List<Integer>> encodingPlans() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.just(1)), Tuple.of(1, Arbitraries.just(2)))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(Tuple.of(METHODS.size(), Arbitraries.just("GET")), Tuple.of(METHODS.size(), Arbitraries.of(METHODS)));
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.of(null, "all=1", "repo=b", "repo=b&tag=v1", "repo=evil:latest", "repo=b&repo=c", "x=%ZZ");
    }

    /** A dot or dot-dot segment in disguise. */
    @Provide
    Arbitrary<String> hiddenDots() {
        return Arbitraries.of(".", "..", "%2e", "%2E", "%2e%2e", "%2E%2e", "%2e%2E", ".%2e", "%2e.", "%252e", "%252e%252e",
                "%c0%ae", "%c0%ae%c0%ae", "%e0%80%ae", "%25%32%65", "%%32%65", "%u002e", "%2e%00", ".%00", "..%00", ".;", "..;",
                "..\\", ".\\", "%2e%5c", "%5c..");
    }

    /** How the disguised segment is separated from the one before it. */
    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of("/", "%2f", "%2F", "%252f", "\\", "%5c", "//");
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /**
     * Encodes each character per the plan (cycled): 0 plain, 1 %XX, 2 %xx. The leading '/' stays plain: it is
     * what makes the target origin-form at all.
     */
    static String encode(String path, List<Integer> plan) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            int mode = i == 0 ? 0 : plan.get(i % plan.size());
            char c = path.charAt(i);
            out.append(mode == 0 ? String.valueOf(c) : escape(c, mode));
        }
        return out.toString();
    }

    static boolean encodesADot(String path, List<Integer> plan) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' && plan.get(i % plan.size()) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void assertCanonicalShape(String canonical, String raw) {
        String where = "canonical " + printable(canonical) + " of raw " + printable(raw);
        assertTrue(canonical.startsWith("/"), where);
        for (char c : canonical.toCharArray()) {
            if (c == '%' || c == ';' || c == '\\' || c < 0x20 || c >= 0x7f) {
                fail(where + ": holds " + printable(String.valueOf(c)));
            }
        }
        if (!canonical.equals("/")) {
            String[] segments = canonical.split("/", -1);
            for (int i = 1; i < segments.length; i++) {
                assertFalse(segments[i].isEmpty() || segments[i].equals(".") || segments[i].equals(".."),
                        where + ": segment '" + segments[i] + "'");
            }
        }
    }

    /**
     * The reference: starts with '/'; raw characters printable ASCII, no ';' or '\'; every '%' begins a
     * two-hex-digit escape of a byte other than '.', '%', '\'; the decoded bytes are safe ASCII; no empty,
     * "." or ".." segment unless the path is "/" itself. Returns the decoded path, or null when refused.
     */
    static String reference(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0
                        || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                    return null;
                }
                int b = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                if (b == '.' || b == '%' || b == '\\') {
                    return null;
                }
                decoded.write(b);
                i += 2;
            } else if (c < 0x7f && SAFE.indexOf(c) >= 0) {
                decoded.write(c);
            } else {
                return null;
            }
        }
        byte[] bytes = decoded.toByteArray();
        for (byte b : bytes) {
            if (b < 0 || SAFE.indexOf((char) b) < 0) {
                return null;
            }
        }
        String path = new String(bytes, StandardCharsets.US_ASCII);
        if (!path.equals("/")) {
            String[] segments = path.split("/", -1);
            for (int i = 1; i < segments.length; i++) {
                if (segments[i].isEmpty() || segments[i].equals(".") || segments[i].equals("..")) {
                    return null;
                }
            }
        }
        return path;
    }

    private static String printable(String s) {
        return WireParser.printable(s);
    }
}
