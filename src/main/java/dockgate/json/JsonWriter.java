package dockgate.json;

import java.nio.charset.StandardCharsets;

/**
 * Compact UTF-8 JSON: members in their order, numbers as their literal, strings with only {@code "}, {@code \}
 * and the control characters escaped. Every string the reader makes is well-formed Unicode, so the UTF-8
 * written here is too, and Go reads back exactly the value that was checked.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    public static byte[] write(Json value) {
        return write(value, 256);
    }

    /** {@code sizeHint}: about how long the result will be (the length of the document it was read from). */
    public static byte[] write(Json value, int sizeHint) {
        StringBuilder out = new StringBuilder(sizeHint);
        append(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One string, quoted and escaped as {@link #write} writes strings; an unpaired surrogate is an error. */
    public static byte[] string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        string(out, WellFormed.string(s));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // Recursion follows the value's nesting, which the reader has bounded by its maxDepth.
    private static void append(StringBuilder out, Json value) {
        if (value instanceof JsonObject object) {
            out.append('{');
            boolean first = true;
            for (JsonObject.Member member : object.members()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, member.key());
                out.append(':');
                append(out, member.value());
            }
            out.append('}');
        } else if (value instanceof JsonArray array) {
            out.append('[');
            for (int i = 0; i < array.items().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, array.items().get(i));
            }
            out.append(']');
        } else if (value instanceof JsonString string) {
            string(out, string.value());
        } else if (value instanceof JsonNumber number) {
            out.append(number.text());
        } else if (value instanceof JsonBool bool) {
            out.append(bool.value() ? "true" : "false");
        } else {
            out.append("null");
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        // Runs of characters that need no escape are copied whole.
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        out.append(s, run, s.length());
        out.append('"');
    }
}
