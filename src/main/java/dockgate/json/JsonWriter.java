package dockgate.json;

import java.util.Arrays;

/**
 * Compact UTF-8 JSON: members in their order, numbers as their literal, strings with only {@code "}, {@code \}
 * and the control characters escaped. Every string the reader makes is well-formed Unicode, so the UTF-8
 * written here is too, and Go reads back exactly the value that was checked.
 */
public final class JsonWriter {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    // Bytes are written straight into one array: a StringBuilder, its String and the String's UTF-8 were
    // three copies of the whole body.
    private byte[] out;
    private int size;

    private JsonWriter(int sizeHint) {
        out = new byte[Math.max(sizeHint, 16)];
    }

    public static byte[] write(Json value) {
        return write(value, 256);
    }

    /** {@code sizeHint}: about how long the result will be (the length of the document it was read from). */
    public static byte[] write(Json value, int sizeHint) {
        JsonWriter writer = new JsonWriter(sizeHint);
        writer.append(value);
        return writer.bytes();
    }

    /** One string, quoted and escaped as {@link #write} writes strings; an unpaired surrogate is an error. */
    public static byte[] string(String s) {
        JsonWriter writer = new JsonWriter(s.length() + 2);
        writer.quoted(WellFormed.string(s));
        return writer.bytes();
    }

    private byte[] bytes() {
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    private void room(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(2 * out.length, size + more));
        }
    }

    // Recursion follows the value's nesting, which the reader has bounded by its maxDepth.
    private void append(Json value) {
        if (value instanceof JsonObject object) {
            room(1);
            out[size++] = '{';
            boolean first = true;
            for (JsonObject.Member member : object.members()) {
                if (!first) {
                    room(1);
                    out[size++] = ',';
                }
                first = false;
                quoted(member.key());
                room(1);
                out[size++] = ':';
                append(member.value());
            }
            room(1);
            out[size++] = '}';
        } else if (value instanceof JsonArray array) {
            room(1);
            out[size++] = '[';
            for (int i = 0; i < array.items().size(); i++) {
                if (i > 0) {
                    room(1);
                    out[size++] = ',';
                }
                append(array.items().get(i));
            }
            room(1);
            out[size++] = ']';
        } else if (value instanceof JsonString string) {
            quoted(string.value());
        } else if (value instanceof JsonNumber number) {
            ascii(number.text());
        } else if (value instanceof JsonBool bool) {
            ascii(bool.value() ? "true" : "false");
        } else {
            ascii("null");
        }
    }

    /** Text of ASCII characters only: a number's literal or a word. */
    private void ascii(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            out[size++] = (byte) s.charAt(i);
        }
    }

    private void quoted(String s) {
        int n = s.length();
        // Room is kept for one byte for each character still to come and the closing quote; a character
        // that takes more makes room for the rest as it goes.
        room(n + 2);
        out[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                out[size++] = (byte) c;
                continue;
            }
            room(6 + n - i);
            if (c >= 0x80) {
                i = utf8(s, i, c);
                continue;
            }
            out[size++] = '\\';
            switch (c) {
                case '"' -> out[size++] = '"';
                case '\\' -> out[size++] = '\\';
                case '\n' -> out[size++] = 'n';
                case '\r' -> out[size++] = 'r';
                case '\t' -> out[size++] = 't';
                default -> {
                    out[size++] = 'u';
                    out[size++] = '0';
                    out[size++] = '0';
                    out[size++] = HEX[c >> 4];
                    out[size++] = HEX[c & 0xf];
                }
            }
        }
        out[size++] = '"';
    }

    /** The UTF-8 of the character at {@code i} (of a surrogate pair there: both), and the index of its last char. */
    private int utf8(String s, int i, char c) {
        if (c < 0x800) {
            out[size++] = (byte) (0xc0 | c >> 6);
            out[size++] = (byte) (0x80 | c & 0x3f);
            return i;
        }
        if (!Character.isSurrogate(c)) {
            out[size++] = (byte) (0xe0 | c >> 12);
            out[size++] = (byte) (0x80 | c >> 6 & 0x3f);
            out[size++] = (byte) (0x80 | c & 0x3f);
            return i;
        }
        if (!Character.isHighSurrogate(c) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            // The value records hold well-formed strings only, so this would be a fault of ours.
            throw new IllegalStateException("string with an unpaired surrogate at " + i + ": " + Printable.quoted(s));
        }
        int cp = Character.toCodePoint(c, s.charAt(i + 1));
        out[size++] = (byte) (0xf0 | cp >> 18);
        out[size++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[size++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[size++] = (byte) (0x80 | cp & 0x3f);
        return i + 1;
    }
}
