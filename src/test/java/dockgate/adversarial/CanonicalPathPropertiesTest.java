package dockgate.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.policy.BadPathException;
import dockgate.policy.CanonicalPath;
import dockgate.policy.Decision;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.testing.RandomCases;
import dockgate.testing.RandomCases.Draw;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Properties of the path canonicaliser and the matcher behind it, over random raw paths and random
 * percent-encodings: the canonical form is a fixed point made of safe characters only, encoding never changes
 * a decision, and no encoding smuggles a dot segment past the check. Each property runs as a plain test over
 * seeded random inputs ({@link RandomCases}); a failure names the seed that repeats it.
 */
class CanonicalPathPropertiesTest {

    private static final Profile RULES = Profile.builtIn();
    private static final String SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "get", "OPTIONS");

    /** A canonical route, an encoding plan for it, and the rest of the call it is decided for. */
    record Call(String canonical, List<Integer> plan, String method, String query) {
    }

    /** An allowed route and how a disguised dot segment is put into it. */
    record HiddenDot(String route, String dots, String separator, int position) {
    }

    // --- 1. any raw path: refused, or canonical and a fixed point -----------------------------------------

    @Test
    void everyAcceptedPathIsACanonicalFixedPoint() {
        Map<String, Integer> seen = new TreeMap<>();
        RandomCases.forAll(2000, CanonicalPathPropertiesTest::rawPath, raw -> {
            String canonical;
            try {
                canonical = CanonicalPath.of(raw);
            } catch (BadPathException refused) {
                seen.merge("refused", 1, Integer::sum);
                return;
            }
            seen.merge(canonical.equals(raw) ? "accepted as is" : "accepted, decoded", 1, Integer::sum);
            assertEquals(canonical, CanonicalPath.of(canonical), "not a fixed point: " + raw);
            assertCanonicalShape(canonical, raw);
        });
        assertEveryKindSeen(seen, 2000, "refused", "accepted as is", "accepted, decoded");
    }

    /**
     * A reference reading of the rules in README and CanonicalPath's contract, written independently: the
     * real canonicaliser must accept exactly what it accepts, with the same result.
     */
    @Test
    void agreesWithAnIndependentReferenceCanonicaliser() {
        Map<String, Integer> seen = new TreeMap<>();
        RandomCases.forAll(2000, CanonicalPathPropertiesTest::rawPath, raw -> {
            String expected = reference(raw);
            String actual;
            try {
                actual = CanonicalPath.of(raw);
            } catch (BadPathException e) {
                actual = null;
            }
            seen.merge(expected == null ? "both refuse" : "both accept", 1, Integer::sum);
            assertEquals(expected, actual, "raw " + printable(raw));
        });
        assertEveryKindSeen(seen, 2000, "both refuse", "both accept");
    }

    // --- 2. a decision depends on the canonical form only ---------------------------------------------------

    @Test
    void encodingNeverChangesADecision() {
        Map<String, Integer> seen = new TreeMap<>();
        RandomCases.forAll(2000, draw -> call(draw, canonicalRoute(draw)), call -> {
            String canonical = call.canonical();
            List<Integer> plan = call.plan();
            String raw = encode(canonical, plan);
            Decision direct = RULES.decide(call.method(), CanonicalPath.of(canonical), call.query());
            seen.merge((direct.allowed() ? "allowed" : "denied") + ", " + (encodesADot(canonical, plan) ? "dot encoded" : "no dot encoded"),
                    1, Integer::sum);
            String derived;
            try {
                derived = CanonicalPath.of(raw);
            } catch (BadPathException refused) {
                assertTrue(encodesADot(canonical, plan), "refused although it only encodes non-dot characters: " + raw + " (" + refused.getMessage() + ")");
                return;
            }
            assertEquals(canonical, derived, "raw " + raw);
            Decision viaRaw = RULES.decide(call.method(), derived, call.query());
            assertEquals(direct.allowed(), viaRaw.allowed(), raw);
            assertEquals(direct.rule(), viaRaw.rule(), raw);
            if (!direct.allowed()) {
                assertFalse(viaRaw.allowed(), "an encoding of a denied path was allowed: " + raw);
            }
        });
        assertEveryKindSeen(seen, 2000, "allowed, dot encoded", "allowed, no dot encoded", "denied, dot encoded", "denied, no dot encoded");
    }

    @Test
    void nothingDerivedFromADeniedPathIsAllowed() {
        RandomCases.forAll(1000, draw -> call(draw, deniedRoute(draw)), call -> {
            String canonical = call.canonical();
            assertFalse(RULES.decide(call.method(), canonical, call.query()).allowed(), "the generator produced an allowed route: " + canonical);
            String raw = encode(canonical, call.plan());
            try {
                String derived = CanonicalPath.of(raw);
                assertFalse(RULES.decide(call.method(), derived, call.query()).allowed(), "a denied path was allowed once encoded: " + raw);
            } catch (BadPathException refused) {
                // refused outright: fine
            }
        });
    }

    // --- 3. encoding invariance on allowed routes -------------------------------------------------------

    @Test
    void anyEncodingOfAnAllowedRouteCanonicalisesBackOrIsRefusedForAnEncodedDot() {
        RandomCases.forAll(2000, draw -> call(draw, allowedRoute(draw)), call -> {
            String canonical = call.canonical();
            assertTrue(RULES.decide("GET", canonical, Query.EMPTY).allowed(), "generator produced a denied route: " + canonical);
            String raw = encode(canonical, call.plan());
            boolean dotEncoded = encodesADot(canonical, call.plan());
            if (dotEncoded) {
                assertThrows(BadPathException.class, () -> CanonicalPath.of(raw), raw);
            } else {
                assertEquals(canonical, CanonicalPath.of(raw), raw);
                assertTrue(RULES.decide("GET", CanonicalPath.of(raw), Query.EMPTY).allowed(), raw);
            }
        });
    }

    // --- 4. dot segments hidden by encodings --------------------------------------------------------------

    @Test
    void hiddenDotSegmentsAreRefused() {
        RandomCases.forAll(2000, draw -> new HiddenDot(allowedRoute(draw), hiddenDots(draw), separator(draw), draw.between(0, 10)), hidden -> {
            String route = hidden.route();
            // Either right after the leading '/' ("/<dots><sep>rest") or after one of the route's segments
            // ("/containers<sep><dots>/abc/json"), so the target still starts with '/' and only the dots are wrong.
            List<Integer> cuts = new ArrayList<>();
            for (int i = 1; i < route.length(); i++) {
                if (route.charAt(i) == '/') {
                    cuts.add(i);
                }
            }
            cuts.add(route.length());
            int at = hidden.position() % (cuts.size() + 1);
            String raw;
            if (at == cuts.size()) {
                raw = "/" + hidden.dots() + hidden.separator() + route.substring(1);
            } else {
                int cut = cuts.get(at);
                raw = route.substring(0, cut) + hidden.separator() + hidden.dots() + route.substring(cut);
            }
            assertThrows(BadPathException.class, () -> CanonicalPath.of(raw), () -> "accepted: " + raw);
        });
    }

    /**
     * Each kind of case must come up in a fair share of the tries, or a property passes on nothing: a generator
     * that stopped making accepted paths would leave the fixed-point check idle. A share of 1 in 50 is far
     * below what the generators give (the rarest kind is above 1 in 10), so chance alone does not fail this.
     */
    private static void assertEveryKindSeen(Map<String, Integer> seen, int tries, String... kinds) {
        for (String kind : kinds) {
            int count = seen.getOrDefault(kind, 0);
            assertTrue(count >= tries / 50, () -> "'" + kind + "' came up only " + count + " times in " + tries + " tries: " + seen);
        }
    }

    // --- generators -----------------------------------------------------------------------------------

    private static final List<String> HARMLESS = List.of("a", "Z", "0", "9", "-", "_", "~", ":", "@", "!", "$", "&", "'", "(", ")",
            "*", "+", ",", "=", "v1.41", "_ping", "containers", "json", "images", "create", "abc");
    private static final List<String> DOTS = List.of(".", "..", "...", ".a", "a.");
    private static final List<String> HOSTILE = List.of("/", "%", ";", "\\", "?", "#", " ", "\"", "<", ">", "[", "]", "{", "}", "|", "^",
            "`", "\u0000", "\t", "\r", "\n", "\u007f", "\u0080", "\u00e9", "\u00ff", "\u0100", "\u2028", "\uff0f", "%2",
            "%zz", "%u002e", "%c0%ae", "%e0%80%ae", "%c3%a9", "%C3", "%ff");

    /**
     * Characters that matter to a path parser, each possibly encoded in several ways. Harmless pieces are
     * frequent enough that a good share of the paths is accepted, so the fixed-point property has something
     * to check; the hostile ones are each rare but always present in the mix.
     */
    static String rawPath(Draw draw) {
        return switch (draw.weighted(8, 1, 1)) {
            case 0 -> path(draw);
            case 1 -> segment(draw);
            default -> "/" + path(draw);
        };
    }

    private static String path(Draw draw) {
        return "/" + String.join("/", draw.list(1, 5, () -> segment(draw)));
    }

    private static String segment(Draw draw) {
        return draw.weighted(12, 1) == 0 ? String.join("", draw.list(1, 4, () -> piece(draw))) : "";
    }

    private static String piece(Draw draw) {
        List<String> kind = switch (draw.weighted(30, 3, 2)) {
            case 0 -> HARMLESS;
            case 1 -> DOTS;
            default -> HOSTILE;
        };
        String piece = draw.oneOf(kind);
        // Modes as spell() numbers them: plain 24 times in 32, each %-spelling less often.
        return spell(piece, draw.weighted(24, 3, 3, 1, 1));
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

    /** Starts with a hex digit, so it is never "." or "..". */
    private static String id(Draw draw) {
        return draw.string("abcdefABCDEF0123456789", 1, 1) + draw.string("abcxyzABCXYZ0123456789_.-", 0, 12);
    }

    private static String imageName(Draw draw) {
        return String.join("/", draw.list(1, 4,
                () -> draw.string("abcxyz0123456789", 1, 1) + draw.string("abcxyz0123456789_.:@-", 0, 10)));
    }

    private static String versionPrefix(Draw draw) {
        return draw.weighted(1, 2) == 0 ? "" : "/v1." + draw.between(12, 45);
    }

    static String allowedRoute(Draw draw) {
        String shape = switch (draw.between(0, 5)) {
            case 0 -> "/containers/" + id(draw) + "/json";
            case 1 -> "/images/" + imageName(draw) + "/json";
            case 2 -> "/images/" + imageName(draw) + "/history";
            case 3 -> "/networks/" + id(draw);
            case 4 -> "/volumes/" + id(draw);
            default -> draw.oneOf("/_ping", "/version", "/info", "/events", "/system/df", "/containers/json", "/images/json",
                    "/networks", "/volumes");
        };
        return versionPrefix(draw) + shape;
    }

    static String deniedRoute(Draw draw) {
        String shape = switch (draw.between(0, 6)) {
            case 0 -> "/containers/" + id(draw) + "/export";
            case 1 -> "/containers/" + id(draw) + "/archive";
            case 2 -> "/containers/" + id(draw) + "/attach/ws";
            case 3 -> "/exec/" + id(draw) + "/start";
            case 4 -> "/images/" + imageName(draw) + "/get";
            case 5 -> "/containers/" + id(draw);
            default -> draw.oneOf("/containers/create", "/build", "/session", "/images/create", "/images/get", "/v1.41/v1.41/_ping",
                    "/v1/_ping", "/V1.41/_ping", "/swarm/init", "/plugins/pull");
        };
        return versionPrefix(draw) + shape;
    }

    private static String canonicalRoute(Draw draw) {
        return draw.weighted(1, 1) == 0 ? allowedRoute(draw) : deniedRoute(draw);
    }

    /** The route, with a plan to encode it and a method and query drawn for it. */
    private static Call call(Draw draw, String canonical) {
        return new Call(canonical, encodingPlan(draw), method(draw), query(draw));
    }

    /** Per character: 0 plain (most often), 1 %XX, 2 %xx. Cycled over the path. */
    private static List<Integer> encodingPlan(Draw draw) {
        return draw.list(1, 40, () -> draw.weighted(3, 1, 1));
    }

    /** GET half the time, otherwise any of METHODS (GET among them). */
    private static String method(Draw draw) {
        return draw.weighted(1, 1) == 0 ? "GET" : draw.oneOf(METHODS);
    }

    private static String query(Draw draw) {
        return draw.oneOf(null, "all=1", "repo=b", "repo=b&tag=v1", "repo=evil:latest", "repo=b&repo=c", "x=%ZZ");
    }

    /** A dot or dot-dot segment in disguise. */
    private static String hiddenDots(Draw draw) {
        return draw.oneOf(".", "..", "%2e", "%2E", "%2e%2e", "%2E%2e", "%2e%2E", ".%2e", "%2e.", "%252e", "%252e%252e",
                "%c0%ae", "%c0%ae%c0%ae", "%e0%80%ae", "%25%32%65", "%%32%65", "%u002e", "%2e%00", ".%00", "..%00", ".;", "..;",
                "..\\", ".\\", "%2e%5c", "%5c..");
    }

    /** How the disguised segment is separated from the one before it. */
    private static String separator(Draw draw) {
        return draw.oneOf("/", "%2f", "%2F", "%252f", "\\", "%5c", "//");
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
