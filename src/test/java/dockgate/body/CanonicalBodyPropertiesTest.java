package dockgate.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.StrictJsonReader;
import dockgate.testing.RandomCases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * For every field of every shape, reached by its full path from the top of the body: a key spelled any way
 * Go accepts, in raw JSON with any character written as a \\u escape, comes out as the canonical name; two
 * spellings of one field are refused; a value of the wrong type is refused, naming the path.
 */
class CanonicalBodyPropertiesTest {

    /** One step of a path from a body's top to a field: a struct field, a map's value or an array's element. */
    record Step(BodyShape container, String name) {
        boolean field() {
            return container.kind() == BodyShape.Kind.STRUCT;
        }
    }

    /** A field somewhere in a shape, with the steps leading to it. */
    record Target(String shapeName, List<Step> steps, BodyShape leaf) {
        String path() {
            StringBuilder out = new StringBuilder();
            for (Step step : steps) {
                switch (step.container().kind()) {
                    case STRUCT -> out.append(out.length() == 0 ? "" : ".").append(step.name());
                    case MAP -> out.append("[\"k\"]");
                    default -> out.append("[0]");
                }
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return shapeName + " " + path();
        }
    }

    static List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (String name : BodyShapes.names()) {
            collect(name, BodyShapes.named(name), new ArrayList<>(), out);
        }
        return out;
    }

    private static void collect(String shapeName, BodyShape shape, List<Step> steps, List<Target> out) {
        switch (shape.kind()) {
            case STRUCT -> {
                for (BodyShape.Field field : shape.fields()) {
                    List<Step> next = new ArrayList<>(steps);
                    next.add(new Step(shape, field.name()));
                    out.add(new Target(shapeName, next, field.shape()));
                    collect(shapeName, field.shape(), next, out);
                }
            }
            case MAP, ARRAY -> {
                List<Step> next = new ArrayList<>(steps);
                next.add(new Step(shape, null));
                collect(shapeName, shape.element(), next, out);
            }
            default -> {
            }
        }
    }

    static final List<Target> TARGETS = targets();

    /** A spelling Go takes for the name: letters of any case, ſ for s and the Kelvin sign for k. */
    static String spelling(RandomCases.Draw draw, String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            char lower = Character.toLowerCase(c);
            if (lower == 's' && draw.between(0, 3) == 0) {
                out.append('\u017f');
            } else if (lower == 'k' && draw.between(0, 3) == 0) {
                out.append('\u212a');
            } else if (Character.isLetter(c) && draw.between(0, 1) == 0) {
                out.append(Character.isUpperCase(c) ? lower : Character.toUpperCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The key as JSON text, each character sometimes a \\u escape (of either case of hex digit). */
    static String raw(RandomCases.Draw draw, String key) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : key.toCharArray()) {
            if (draw.between(0, 3) == 0) {
                String hex = String.format(Locale.ROOT, "\\u%04x", (int) c);
                out.append(draw.between(0, 1) == 0 ? hex : "\\u" + hex.substring(2).toUpperCase(Locale.ROOT));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A value the shape takes, as JSON text, and as the canonicaliser returns it. */
    static String[] sample(RandomCases.Draw draw, BodyShape shape) {
        return switch (shape.kind()) {
            case STRING -> new String[] {"\"v\"", "\"v\""};
            case BOOL -> new String[] {"true", "true"};
            case INTEGER -> {
                String n = draw.oneOf(shape.min().toString(), shape.max().toString(), "0", "7");
                yield new String[] {n, n};
            }
            case FLOAT -> new String[] {"1.5e3", "1.5e3"};
            case STRING_OR_ARRAY -> draw.between(0, 1) == 0 ? new String[] {"\"x\"", "[\"x\"]"}
                    : new String[] {"[\"x\",null]", "[\"x\",null]"};
            case ANY -> new String[] {"{\"x\":[1]}", "{\"x\":[1]}"};
            case STRUCT, MAP -> new String[] {"{}", "{}"};
            case ARRAY -> new String[] {"[]", "[]"};
            default -> throw new IllegalStateException();
        };
    }

    /** A value the shape does not take, as JSON text. */
    static String wrong(RandomCases.Draw draw, BodyShape shape) {
        return switch (shape.kind()) {
            case STRING -> draw.oneOf("1", "true", "[]", "{}");
            case BOOL -> draw.oneOf("\"true\"", "1", "[]");
            case INTEGER -> draw.oneOf("\"1\"", "1.0", "1e2", "true", shape.max().add(java.math.BigInteger.ONE).toString(),
                    shape.min().subtract(java.math.BigInteger.ONE).toString(), "1" + "0".repeat(30));
            case FLOAT -> draw.oneOf("\"1\"", "1e400", "{}");
            case STRING_OR_ARRAY -> draw.oneOf("1", "{}", "true");
            case STRUCT -> draw.oneOf("[]", "\"x\"", "1");
            case MAP -> draw.oneOf("[]", "\"x\"");
            case ARRAY -> draw.oneOf("{}", "\"x\"", "1");
            default -> throw new IllegalStateException();
        };
    }

    /** The body around the leaf's text, with each field key spelled by {@code keys}; the innermost last. */
    static String wrap(Target target, List<String> keys, String leaf, String extraInnermost) {
        String inner = leaf;
        for (int i = target.steps().size() - 1; i >= 0; i--) {
            Step step = target.steps().get(i);
            String extra = i == target.steps().size() - 1 ? extraInnermost : "";
            inner = switch (step.container().kind()) {
                case STRUCT -> "{" + extra + keys.get(i) + ":" + inner + "}";
                case MAP -> "{\"k\":" + inner + "}";
                default -> "[" + inner + "]";
            };
        }
        return inner;
    }

    record Case(Target target, String body, String canonical) {
        @Override
        public String toString() {
            return target + ": " + body;
        }
    }

    static Json read(String text) throws JsonBodyException {
        return StrictJsonReader.read(text.getBytes(StandardCharsets.UTF_8), 64);
    }

    @Test
    void everySpellingOfEveryFieldComesOutCanonical() {
        // Every field of every shape, a few spellings each; a failure names its field and the seed.
        for (Target target : TARGETS) {
            RandomCases.forAll(4, draw -> {
                List<String> spelled = new ArrayList<>();
                List<String> canonical = new ArrayList<>();
                for (Step step : target.steps()) {
                    spelled.add(step.field() ? raw(draw, spelling(draw, step.name())) : null);
                    canonical.add(step.field() ? "\"" + step.name() + "\"" : null);
                }
                String[] value = sample(draw, target.leaf());
                return new Case(target, wrap(target, spelled, value[0], ""), wrap(target, canonical, value[1], ""));
            }, c -> assertEquals(read(c.canonical()),
                    CanonicalBody.apply(read(c.body()), BodyShapes.named(c.target().shapeName()))));
        }
    }

    @Test
    void everyFieldOfEveryShapeIsReached() {
        // The properties run over these; each shape has its fields in the list.
        for (String name : BodyShapes.names()) {
            assertTrue(TARGETS.stream().anyMatch(t -> t.shapeName().equals(name)), name);
        }
        assertTrue(TARGETS.size() > 500, "only " + TARGETS.size() + " targets");
    }

    @Test
    void twoSpellingsOfOneFieldAreRefused() {
        for (Target target : TARGETS) {
            RandomCases.forAll(2, draw -> {
                List<String> keys = new ArrayList<>();
                for (Step step : target.steps()) {
                    keys.add(step.field() ? raw(draw, spelling(draw, step.name())) : null);
                }
                String name = target.steps().get(target.steps().size() - 1).name();
                String first = spelling(draw, name);
                // Two spellings that differ in their text, so the reader's exact-duplicate check is not what refuses.
                String second = spelling(draw, name);
                while (second.equals(first)) {
                    second = spelling(draw, name);
                }
                String extra = raw(draw, first) + ":" + sample(draw, target.leaf())[0] + ",";
                List<String> withSecond = new ArrayList<>(keys);
                withSecond.set(keys.size() - 1, raw(draw, second));
                return new Case(target, wrap(target, withSecond, sample(draw, target.leaf())[0], extra), null);
            }, c -> {
                JsonBodyException e = assertThrows(JsonBodyException.class,
                        () -> CanonicalBody.apply(read(c.body()), BodyShapes.named(c.target().shapeName())));
                assertTrue(e.getMessage().contains("two spellings of one field"), e.getMessage());
            });
        }
    }

    @Test
    void aValueOfAnotherTypeIsRefusedWithItsPath() {
        for (Target target : TARGETS.stream().filter(t -> t.leaf().kind() != BodyShape.Kind.ANY).toList()) {
            RandomCases.forAll(3, draw -> {
                List<String> keys = new ArrayList<>();
                for (Step step : target.steps()) {
                    keys.add(step.field() ? raw(draw, spelling(draw, step.name())) : null);
                }
                return new Case(target, wrap(target, keys, wrong(draw, target.leaf()), ""), null);
            }, c -> {
                JsonBodyException e = assertThrows(JsonBodyException.class,
                        () -> CanonicalBody.apply(read(c.body()), BodyShapes.named(c.target().shapeName())));
                assertTrue(e.getMessage().startsWith("body is refused: " + c.target().path() + " is "), e.getMessage());
            });
        }
    }

    @Test
    void unknownKeysPassAsSpelledButNotTwice() throws Exception {
        BodyShape create = BodyShapes.named("container-create");
        Json out = CanonicalBody.apply(read("{\"image\":\"x\",\"Futur\\u0065Field\":{\"a\":[1]}}"), create);
        assertEquals(read("{\"Image\":\"x\",\"FutureField\":{\"a\":[1]}}"), out);
        JsonBodyException e = assertThrows(JsonBodyException.class,
                () -> CanonicalBody.apply(read("{\"FutureField\":1,\"futurefield\":2}"), create));
        assertTrue(e.getMessage().contains("\"FutureField\" and \"futurefield\" in the body"), e.getMessage());
    }

    /** The message a container create body is refused with. */
    static String refusal(String body) {
        return assertThrows(JsonBodyException.class,
                () -> CanonicalBody.apply(read(body), BodyShapes.named("container-create"))).getMessage();
    }

    @Test
    void examplesReadAsADockerUserWouldWantThem() throws Exception {
        BodyShape create = BodyShapes.named("container-create");
        assertEquals("body is refused: \"Privileged\" and \"privileged\" in HostConfig are two spellings of one "
                        + "field; the daemon would use the last",
                refusal("{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}"));
        assertEquals("body is refused: \"Binds\" and \"Bind\\u017f\" in HostConfig are two spellings of one field; "
                        + "the daemon would use the last",
                refusal("{\"HostConfig\":{\"Binds\":[],\"Bind\\u017f\":[\"/:/h\"]}}"));
        assertEquals("body is refused: HostConfig.Binds[2] is the number 1, but the daemon reads a string there",
                refusal("{\"HostConfig\":{\"Binds\":[\"a\",null,1]}}"));
        assertEquals("body is refused: HostConfig.Privileged is a string, but the daemon reads true or false there",
                refusal("{\"HostConfig\":{\"Privileged\":\"true\"}}"));
        assertEquals("body is refused: Cmd[1] is the number 1, but the daemon reads a string there",
                refusal("{\"cmd\":[\"sh\",1]}"));
        assertEquals("body is refused: HostConfig.PortBindings[\"80/tcp\"][0].HostPort is true, but the daemon "
                        + "reads a string there",
                refusal("{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"hostport\":true}]}}}"));
        assertEquals("body is refused: HostConfig.BlkioWeight is the number -0, but the daemon reads a whole "
                        + "number (uint16, 0 to 65535) there",
                refusal("{\"HostConfig\":{\"BlkioWeight\":-0}}"));
        JsonObject ok = (JsonObject) CanonicalBody.apply(read("{\"hostconfig\":{\"CAPADD\":\"SYS_ADMIN\","
                + "\"Networ\\u212aMode\":\"none\"},\"privileged\":true}"), create);
        assertEquals(read("{\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"],\"NetworkMode\":\"none\"},\"Privileged\":true}"), ok);
        assertEquals(new JsonArray(List.of(new dockgate.json.JsonString("SYS_ADMIN"))),
                ((JsonObject) ok.get("HostConfig")).get("CapAdd"));
    }

    @Test
    void integersAreHeldToTheirTypesRangeAtBothEnds() throws Exception {
        // Each of int64, uint64 and uint16 at its ends and one past them, as strconv.ParseInt and ParseUint take them.
        String[][] cases = {
            {"Memory", "9223372036854775807", "-9223372036854775808", "0", "-1", "18"},
            {"IOMaximumIOps", "18446744073709551615", "0", "9223372036854775808", "123456789012345678"},
        };
        for (String[] c : cases) {
            for (int i = 1; i < c.length; i++) {
                String body = "{\"HostConfig\":{\"" + c[0] + "\":" + c[i] + "}}";
                assertEquals(read(body), CanonicalBody.apply(read(body), BodyShapes.named("container-create")), body);
            }
        }
        String[][] refused = {
            {"Memory", "9223372036854775808", "int64, -9223372036854775808 to 9223372036854775807"},
            {"Memory", "-9223372036854775809", "int64, -9223372036854775808 to 9223372036854775807"},
            {"Memory", "1e3", "int64, -9223372036854775808 to 9223372036854775807"},
            {"Memory", "1.0", "int64, -9223372036854775808 to 9223372036854775807"},
            {"IOMaximumIOps", "18446744073709551616", "uint64, 0 to 18446744073709551615"},
            {"IOMaximumIOps", "-1", "uint64, 0 to 18446744073709551615"},
            {"BlkioWeight", "65536", "uint16, 0 to 65535"},
            {"BlkioWeight", "-1", "uint16, 0 to 65535"},
        };
        for (String[] r : refused) {
            assertEquals("body is refused: HostConfig." + r[0] + " is the number " + r[1] + ", but the daemon reads a "
                    + "whole number (" + r[2] + ") there", refusal("{\"HostConfig\":{\"" + r[0] + "\":" + r[1] + "}}"));
        }
        assertEquals(read("{\"HostConfig\":{\"BlkioWeight\":65535}}"), CanonicalBody.apply(
                read("{\"HostConfig\":{\"BlkioWeight\":65535}}"), BodyShapes.named("container-create")));
    }
}
