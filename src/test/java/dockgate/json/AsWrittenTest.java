package dockgate.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.testing.RandomCases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A body the reader finds as written is sent as it came in place of what the writer writes for it, so the
 * two must be the same bytes whenever the reader says so.
 */
class AsWrittenTest {
    private static final String[] PIECES = {"a", "Z", "\"", "\\", "\n", "\t", "\u0001", "\u007f", "\u00e9", "\u2028",
        "\ud83d\ude00", " ", "/", "<", "\u212a"};
    private static final String[] NUMBERS = {"0", "-0", "12", "-1.5e+10", "3E7", "0.25", "18446744073709551616"};

    private static Json value(RandomCases.Draw draw, int depth) {
        int kind = draw.between(0, depth > 2 ? 2 : 5);
        switch (kind) {
            case 0 -> {
                return new JsonString(text(draw));
            }
            case 1 -> {
                return new JsonNumber(draw.oneOf(NUMBERS));
            }
            case 2 -> {
                return draw.oneOf(JsonBool.TRUE, JsonBool.FALSE, JsonNull.NULL);
            }
            case 3, 4 -> {
                List<JsonObject.Member> members = new ArrayList<>();
                int n = draw.between(0, 12);
                for (int i = 0; i < n; i++) {
                    members.add(new JsonObject.Member(text(draw) + i, value(draw, depth + 1)));
                }
                return new JsonObject(members);
            }
            default -> {
                List<Json> items = new ArrayList<>();
                int n = draw.between(0, 12);
                for (int i = 0; i < n; i++) {
                    items.add(value(draw, depth + 1));
                }
                return new JsonArray(items);
            }
        }
    }

    private static String text(RandomCases.Draw draw) {
        StringBuilder out = new StringBuilder();
        int n = draw.between(0, 6);
        for (int i = 0; i < n; i++) {
            out.append(draw.oneOf(PIECES));
        }
        return out.toString();
    }

    @Test
    void whatTheWriterWritesIsFoundAsWrittenUnlessItHoldsAnEscape() {
        RandomCases.forAll(2000, draw -> JsonWriter.write(value(draw, 0)), written -> {
            StrictJsonReader.Document read = StrictJsonReader.readDocument(written, 8, KnownKeys.NONE);
            assertArrayEquals(written, JsonWriter.write(read.value()));
            assertEquals(written.length, read.end());
            boolean escaped = new String(written, StandardCharsets.UTF_8).indexOf('\\') >= 0;
            assertEquals(!escaped, read.asWritten());
        });
    }

    @Test
    void whiteSpaceOrAnEscapeAnywhereIsNotAsWritten() throws Exception {
        for (String body : List.of(" {}", "{ }", "[ ]", "{\"a\" :1}", "{\"a\": 1}", "{\"a\":1 }", "[1 ,2]",
                "[1,\n2]", "{\"a\":[1,2]\t}", "\r\n{}", "\"\\/\"", "\"\\u0041\"", "{\"\\u0041\":1}", "\"\\n\"",
                "\"\\\"\"", "[\"\\u003c\"]\n")) {
            assertFalse(StrictJsonReader.readDocument(body.getBytes(StandardCharsets.UTF_8), 8, KnownKeys.NONE).asWritten(), body);
        }
        // White space after the value, as Go's encoder ends a body with a newline, is not part of it.
        for (String body : List.of("{}", "[]", "{\"a\":[1,-2.5e3,true,false,null,\"\u00e9\ud83d\ude00\u007f\"],\"b\":{}}",
                "0", "{}\n", "[1] \r\n\t", "\"x\"\n\n")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StrictJsonReader.Document read = StrictJsonReader.readDocument(bytes, 8, KnownKeys.NONE);
            assertTrue(read.asWritten(), body);
            assertArrayEquals(body.strip().getBytes(StandardCharsets.UTF_8), JsonWriter.write(read.value()));
            assertEquals(body.strip().getBytes(StandardCharsets.UTF_8).length, read.end());
        }
    }
}
