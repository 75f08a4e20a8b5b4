package dockgate.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer encodes UTF-8 itself; it must give the very bytes the JDK's encoder gives for the escaped text. */
class JsonWriterTest {

    /** What the writer wrote before it encoded UTF-8 itself: the escaped text, encoded by the JDK. */
    private static byte[] expected(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCharacterIsWrittenAsTheJdkEncodesIt() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xffff; c++) {
            if (!Character.isSurrogate((char) c)) {
                String one = String.valueOf((char) c);
                assertArrayEquals(expected(one), JsonWriter.string(one), "U+" + Integer.toHexString(c));
                all.append((char) c);
            }
        }
        for (int cp : new int[] {0x10000, 0x1f600, 0x10ffff}) {
            String one = new String(Character.toChars(cp));
            assertArrayEquals(expected(one), JsonWriter.string(one), "U+" + Integer.toHexString(cp));
            all.append(one);
        }
        // One long string of every kind, so room is made as it goes.
        String s = all.toString();
        assertArrayEquals(expected(s), JsonWriter.string(s));
        assertArrayEquals(expected(s), JsonWriter.write(new JsonString(s), 1));
    }

    @Test
    void aDocumentLongerThanItsHintIsWrittenWhole() {
        List<JsonObject.Member> members = new ArrayList<>();
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < 200; i++) {
            members.add(new JsonObject.Member("k\u00e9" + i, new JsonArray(List.of(new JsonString("v\n" + i),
                    new JsonNumber("-1.5e" + i), JsonBool.TRUE, JsonBool.FALSE, JsonNull.NULL))));
            text.append(i == 0 ? "" : ",").append("\"k\u00e9").append(i).append("\":[\"v\\n").append(i)
                    .append("\",-1.5e").append(i).append(",true,false,null]");
        }
        byte[] want = text.append('}').toString().getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(want, JsonWriter.write(new JsonObject(members), 1));
        assertArrayEquals(want, JsonWriter.write(new JsonObject(members)));
        assertArrayEquals(want, JsonWriter.write(new JsonObject(members), want.length));
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.string("a\ud800"));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.string("\udc00b"));
    }
}
