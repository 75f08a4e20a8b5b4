package dockgate.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictJsonReaderTest {
    private static final int DEPTH = 8;

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A string literal whose content is these raw bytes: {@code "} bytes {@code "}. */
    static byte[] quoted(int... content) {
        byte[] out = new byte[content.length + 2];
        out[0] = '"';
        for (int i = 0; i < content.length; i++) {
            out[i + 1] = (byte) content[i];
        }
        out[out.length - 1] = '"';
        return out;
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(utf8("{}"), new JsonObject(List.of())),
                Arguments.of(utf8(" [ ] \r\n\t"), new JsonArray(List.of())),
                Arguments.of(utf8("true"), JsonBool.TRUE),
                Arguments.of(utf8("null"), JsonNull.NULL),
                Arguments.of(utf8("-0"), new JsonNumber("-0")),
                Arguments.of(utf8("123456789012345678901234567890.5e-300"),
                        new JsonNumber("123456789012345678901234567890.5e-300")),
                Arguments.of(utf8("1E+2"), new JsonNumber("1E+2")),
                Arguments.of(utf8("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uD83D\\uDE00\""),
                        new JsonString("\"\\/\b\f\n\r\tA\u00e9\uD83D\uDE00")),
                Arguments.of(utf8("\"\\u0000\""), new JsonString("\u0000")),
                Arguments.of(quoted(0xf0, 0x9f, 0x98, 0x80), new JsonString("\uD83D\uDE00")),
                Arguments.of(quoted(0xf4, 0x8f, 0xbf, 0xbf), new JsonString(new String(Character.toChars(0x10ffff)))),
                Arguments.of(quoted(0xed, 0x9f, 0xbf), new JsonString("\ud7ff")),
                Arguments.of(quoted(0xc2, 0x80, 0x7f), new JsonString("\u0080\u007f")),
                Arguments.of(utf8("{\"a\":1,\"A\":2,\"b\":[true,false,null,{}]}"), new JsonObject(List.of(
                        new JsonObject.Member("a", new JsonNumber("1")),
                        new JsonObject.Member("A", new JsonNumber("2")),
                        new JsonObject.Member("b", new JsonArray(List.of(JsonBool.TRUE, JsonBool.FALSE, JsonNull.NULL,
                                new JsonObject(List.of())))))))
        );
    }

    @ParameterizedTest
    @MethodSource
    void valid(byte[] body, Json expected) throws Exception {
        assertEquals(expected, StrictJsonReader.read(body, DEPTH));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(utf8(""), "the body is empty"),
                Arguments.of(utf8("  \n"), "the body is empty"),
                Arguments.of(bytes(0xef, 0xbb, 0xbf, '{', '}'), "byte order mark"),
                Arguments.of(quoted(0xc0, 0xaf), "cannot start a character"),
                Arguments.of(quoted(0xe0, 0x80, 0xaf), "overlong"),
                Arguments.of(quoted(0xf0, 0x80, 0x80, 0xaf), "overlong"),
                Arguments.of(quoted(0xed, 0xa0, 0x80), "surrogate"),
                Arguments.of(quoted(0xf4, 0x90, 0x80, 0x80), "beyond U+10FFFF"),
                Arguments.of(quoted(0xf5, 0x80, 0x80, 0x80), "cannot start"),
                Arguments.of(quoted(0x80), "cannot start"),
                Arguments.of(quoted(0xc3), "cut-off"),
                Arguments.of(bytes('"', 0xe2, 0x82), "cut off by the end"),
                Arguments.of(quoted('a', '\n'), "control character (U+000A)"),
                Arguments.of(quoted(0x1f), "control character (U+001F)"),
                Arguments.of(utf8("\"\\x\""), "bad escape"),
                Arguments.of(utf8("\"\\u12\""), "four hex digits"),
                Arguments.of(utf8("\"\\ud800\""), "lone surrogate escape \\ud800"),
                Arguments.of(utf8("\"\\udc00\""), "lone surrogate escape \\udc00"),
                Arguments.of(utf8("\"\\ud800\\u0041\""), "not a low surrogate"),
                Arguments.of(utf8("\"\\ud800\\ud800\""), "not a low surrogate"),
                Arguments.of(utf8("01"), "leading zero"),
                Arguments.of(utf8("-01"), "leading zero"),
                Arguments.of(utf8("1."), "'.' not followed"),
                Arguments.of(utf8(".5"), "where a value belongs"),
                Arguments.of(utf8("1e"), "exponent without digits"),
                Arguments.of(utf8("+1"), "where a value belongs"),
                Arguments.of(utf8("-"), "'-' not followed"),
                Arguments.of(utf8("0x10"), "more follows"),
                Arguments.of(utf8("NaN"), "where a value belongs"),
                Arguments.of(utf8("tru"), "not true, false or null"),
                Arguments.of(utf8("{\"a\":1}{\"a\":2}"), "more follows the first JSON value"),
                Arguments.of(utf8("{\"a\":1} x"), "more follows the first JSON value"),
                Arguments.of(utf8("{\"a\":1,}"), "where a key belongs"),
                Arguments.of(utf8("[1,]"), "where a value belongs"),
                Arguments.of(utf8("{\"a\" 1}"), "where ':' belongs"),
                Arguments.of(utf8("{'a':1}"), "where a key belongs"),
                Arguments.of(utf8("[1 2]"), "where a ',' or ']' belongs"),
                Arguments.of(utf8("{\"a\":1"), "the body ends"),
                Arguments.of(utf8("\"abc"), "the body ends inside a string"),
                Arguments.of(utf8("{\"Privileged\":false,\"Privileged\":true}"),
                        "duplicate key \"Privileged\" in the top-level object"),
                Arguments.of(utf8("{\"HostConfig\":{\"Privileged\":false,\"Privileged\":true}}"),
                        "body is not valid JSON: duplicate key \"Privileged\" in HostConfig (at byte 34)"),
                Arguments.of(utf8("{\"a\":[{},{\"\\u0062\":1,\"b\":2}]}"), "duplicate key \"b\" in a[1]"),
                // A large object's keys are held in a set, a small one's looked through: both refuse a repeat.
                Arguments.of(utf8("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
                        + "\"k8\":8,\"k9\":9,\"k0\":10}"), "duplicate key \"k0\" in the top-level object"),
                Arguments.of(utf8("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
                        + "\"k7\":8}"), "duplicate key \"k7\" in the top-level object"),
                Arguments.of(utf8("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
                        + "\"k8\":8,\"k9\":9,\"k10\":10,\"k9\":11}"), "duplicate key \"k9\" in the top-level object"),
                Arguments.of(utf8("{\"HostConfig\":{\"Binds\":[\"/:/h\",1 1]}}"), "in HostConfig.Binds, at byte 33")
        );
    }

    @ParameterizedTest
    @MethodSource
    void invalid(byte[] body, String message) {
        JsonBodyException e = assertThrows(JsonBodyException.class, () -> StrictJsonReader.read(body, DEPTH));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("body is not valid JSON"), e.getMessage());
    }

    @Test
    void nestingIsAcceptedUpToTheLimitAndRefusedBeyond() throws Exception {
        String atLimit = "[".repeat(DEPTH) + "]".repeat(DEPTH);
        StrictJsonReader.read(utf8(atLimit), DEPTH);
        String objects = "{\"a\":".repeat(DEPTH - 1) + "{}" + "}".repeat(DEPTH - 1);
        StrictJsonReader.read(utf8(objects), DEPTH);
        String over = "[".repeat(DEPTH + 1) + "]".repeat(DEPTH + 1);
        JsonBodyException e = assertThrows(JsonBodyException.class, () -> StrictJsonReader.read(utf8(over), DEPTH));
        assertTrue(e.getMessage().contains("nested deeper than 8 levels"), e.getMessage());
    }

    @Test
    void aMillionOpenBracketsAreRefusedWithoutRecursion() {
        byte[] body = utf8("[".repeat(1_000_000));
        JsonBodyException e = assertThrows(JsonBodyException.class, () -> StrictJsonReader.read(body, 64));
        assertTrue(e.getMessage().contains("deeper than 64"), e.getMessage());
    }

    @Test
    void numbersKeepTheirLiteral() throws Exception {
        JsonNumber big = (JsonNumber) StrictJsonReader.read(utf8("18446744073709551616"), DEPTH);
        assertEquals("18446744073709551616", big.text());
        assertTrue(big.isInteger());
        assertEquals(new java.math.BigDecimal("18446744073709551616"), big.decimal());
        JsonNumber exponent = (JsonNumber) StrictJsonReader.read(utf8("1e2"), DEPTH);
        assertTrue(!exponent.isInteger());
    }

    static Stream<String> roundTrips() {
        return Stream.of("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"],\"x\":null}",
                "[\"\\u0000\\u001f\\u007f\",\"\u00e9\uD83D\uDE00\\ud83d\\ude00\",-0.5E+10,true,false,{}]",
                "\"\\/\\b\\f\\n\\r\\t\"");
    }

    @ParameterizedTest
    @MethodSource
    void roundTrips(String text) throws Exception {
        Json first = StrictJsonReader.read(utf8(text), DEPTH);
        byte[] written = JsonWriter.write(first);
        assertEquals(first, StrictJsonReader.read(written, DEPTH));
        assertArrayEquals(written, JsonWriter.write(StrictJsonReader.read(written, DEPTH)));
    }

    @Test
    void theWriterEscapesOnlyWhatItMust() {
        Json value = new JsonObject(List.of(new JsonObject.Member("k\"\\", new JsonString("\u0001\n\u00e9/\u007f"))));
        assertEquals("{\"k\\\"\\\\\":\"\\u0001\\n\u00e9/\u007f\"}",
                new String(JsonWriter.write(value), StandardCharsets.UTF_8));
    }

    @Test
    void withReplacesInPlaceOrAppends() {
        JsonObject object = new JsonObject(List.of(new JsonObject.Member("a", JsonNull.NULL),
                new JsonObject.Member("b", JsonNull.NULL)));
        JsonObject replaced = object.with("a", JsonBool.TRUE);
        assertEquals(List.of("a", "b"), replaced.members().stream().map(JsonObject.Member::key).toList());
        assertEquals(JsonBool.TRUE, replaced.get("a"));
        assertEquals(JsonNull.NULL, object.get("a"));
        assertEquals(List.of("a", "b", "A"),
                object.with("A", JsonBool.FALSE).members().stream().map(JsonObject.Member::key).toList());
        assertEquals(null, object.get("A"));
    }

    @Test
    void valuesMadeOutsideTheReaderMustBeWritableAsRead() {
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("01"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("1e"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber("NaN"));
        assertThrows(IllegalArgumentException.class, () -> new JsonNumber(" 1"));
        assertThrows(IllegalArgumentException.class, () -> new JsonString("a\ud800"));
        assertThrows(IllegalArgumentException.class, () -> new JsonObject.Member("\udc00", JsonNull.NULL));
        assertEquals("-0.5E+10", new JsonNumber("-0.5E+10").text());
        assertEquals("\ud83d\ude00", new JsonString("\ud83d\ude00").value());
    }

    @Test
    void whatTheReaderBuildsEqualsTheValueMadeByHand() throws Exception {
        StringBuilder text = new StringBuilder("{\"a\":[1,\"x\",{},[],0,\"\",0.0,0e1,-0],\"b\":{},\"c\":[]");
        List<JsonObject.Member> members = new java.util.ArrayList<>(List.of(
                new JsonObject.Member("a", new JsonArray(List.of(new JsonNumber("1"), new JsonString("x"),
                        new JsonObject(List.of()), new JsonArray(List.of()), new JsonNumber("0"), new JsonString(""),
                        new JsonNumber("0.0"), new JsonNumber("0e1"), new JsonNumber("-0")))),
                new JsonObject.Member("b", new JsonObject(List.of())),
                new JsonObject.Member("c", new JsonArray(List.of()))));
        List<Json> many = new java.util.ArrayList<>();
        // Past the reader's first room for members and items, and past the keys it compares one by one.
        for (int i = 0; i < 40; i++) {
            text.append(",\"k").append(i).append("\":").append(i);
            members.add(new JsonObject.Member("k" + i, new JsonNumber(String.valueOf(i))));
            many.add(new JsonString("\u00e9" + i));
        }
        text.append(",\"many\":[").append(String.join(",", many.stream().map(v -> "\"\u00e9" + ((JsonString) v).value().substring(1) + "\"").toList())).append("]}");
        members.add(new JsonObject.Member("many", new JsonArray(many)));
        JsonObject byHand = new JsonObject(members);
        Json read = StrictJsonReader.read(utf8(text.toString()), DEPTH);
        assertEquals(byHand, read);
        assertEquals(read, byHand);
        assertEquals(byHand.hashCode(), read.hashCode());
        assertEquals(byHand.toString(), read.toString());
        assertArrayEquals(JsonWriter.write(byHand), JsonWriter.write(read));
    }

    @Test
    void theListsTheReaderBuildsCannotBeChanged() throws Exception {
        JsonObject object = (JsonObject) StrictJsonReader.read(utf8("{\"a\":[1,2],\"b\":{}}"), DEPTH);
        List<JsonObject.Member> members = object.members();
        List<Json> items = ((JsonArray) object.get("a")).items();
        JsonObject.Member member = new JsonObject.Member("c", JsonNull.NULL);
        assertThrows(UnsupportedOperationException.class, () -> members.add(member));
        assertThrows(UnsupportedOperationException.class, () -> members.set(0, member));
        assertThrows(UnsupportedOperationException.class, () -> members.remove(0));
        assertThrows(UnsupportedOperationException.class, members::clear);
        assertThrows(UnsupportedOperationException.class, () -> items.add(JsonNull.NULL));
        assertThrows(UnsupportedOperationException.class, () -> {
            java.util.Iterator<Json> iterator = items.iterator();
            iterator.next();
            iterator.remove();
        });
        assertThrows(IndexOutOfBoundsException.class, () -> items.get(2));
        assertEquals(2, items.size());
        assertEquals(List.of("a", "b"), members.stream().map(JsonObject.Member::key).toList());
    }

    @Test
    void aKnownKeyIsReadAsThatStringAndEveryOtherAsItsOwn() throws Exception {
        String image = new String("Image".toCharArray());
        KnownKeys known = new KnownKeys(List.of(image, "Cmd", "caf\u00e9", "a\"b", "HostConfig"));
        String text = "{\"Image\":\"x\",\"Cmd\":[],\"Imag\":1,\"Images\":2,\"caf\u00e9\":4,"
                + "\"HostConfig\":{\"\\u0049mage\":5,\"Cmd\":6},\"a\\\"b\":7}";
        JsonObject read = (JsonObject) StrictJsonReader.readDocument(utf8(text), DEPTH, known).value();
        assertEquals(StrictJsonReader.read(utf8(text), DEPTH), read);
        List<String> keys = read.members().stream().map(JsonObject.Member::key).toList();
        assertEquals(List.of("Image", "Cmd", "Imag", "Images", "caf\u00e9", "HostConfig", "a\"b"), keys);
        assertTrue(keys.get(0) == image);
        List<JsonObject.Member> inner = ((JsonObject) read.get("HostConfig")).members();
        // Escaped, or outside printable ASCII: equal, but read as a String of its own.
        assertEquals("Image", inner.get(0).key());
        assertTrue(inner.get(0).key() != image);
        assertTrue(inner.get(1).key() == "Cmd");
        // Known or not, a key given twice is refused just the same.
        JsonBodyException twice = assertThrows(JsonBodyException.class, () -> StrictJsonReader.readDocument(
                utf8("{\"Image\":1,\"\\u0049mage\":2}"), DEPTH, known));
        assertEquals(assertThrows(JsonBodyException.class, () -> StrictJsonReader.read(
                utf8("{\"Image\":1,\"\\u0049mage\":2}"), DEPTH)).getMessage(), twice.getMessage());
    }
}
