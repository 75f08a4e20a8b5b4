package dockgate.json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * RFC 8259, strictly, for bodies the daemon's Go decoder will read: where Go would read a body otherwise than
 * we do (it replaces invalid UTF-8 and lone surrogates with U+FFFD, keeps the last of two equal keys and
 * ignores whatever follows the first value), the body is refused instead. One pass over the bytes, with an
 * explicit stack of open containers in place of recursion, so a body costs time linear in its length and its
 * nesting is bounded by {@code maxDepth} before anything is built for it.
 */
public final class StrictJsonReader {

    private final byte[] in;
    private final int maxDepth;
    private int pos;
    /** The containers open at {@link #pos}, innermost first. */
    private final Deque<Open> open = new ArrayDeque<>();

    private StrictJsonReader(byte[] in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /**
     * The one JSON value of {@code body}. {@code maxDepth} is the deepest nesting of objects and arrays
     * accepted: 1 allows {@code {"a":1}} but not {@code {"a":[]}}.
     */
    public static Json read(byte[] body, int maxDepth) throws JsonBodyException {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, not " + maxDepth);
        }
        return new StrictJsonReader(body, maxDepth).document();
    }

    /** An object or array being read: what it has so far, and where it sits in its parent, for messages. */
    private static final class Open {
        final boolean object;
        final String keyInParent;
        final int indexInParent;
        final List<JsonObject.Member> members = new ArrayList<>();
        final Set<String> keys = new HashSet<>();
        final List<Json> items = new ArrayList<>();
        String pendingKey;

        Open(boolean object, String keyInParent, int indexInParent) {
            this.object = object;
            this.keyInParent = keyInParent;
            this.indexInParent = indexInParent;
        }

        Json build() {
            return object ? new JsonObject(members) : new JsonArray(items);
        }
    }

    private Json document() throws JsonBodyException {
        if (in.length >= 3 && (in[0] & 0xff) == 0xef && (in[1] & 0xff) == 0xbb && (in[2] & 0xff) == 0xbf) {
            throw fail("it starts with a byte order mark (U+FEFF)");
        }
        skipWhitespace();
        if (pos == in.length) {
            throw new JsonBodyException("body is not valid JSON: the body is empty");
        }
        Json value = null;
        boolean expectingValue = true;
        while (true) {
            if (expectingValue) {
                value = valueOrOpen();
                if (value == null) {
                    continue; // a container was opened and its first key (if any) read: a value is expected
                }
            }
            // A complete value: hand it to the innermost open container, or it is the document.
            Open top = open.peek();
            if (top == null) {
                break;
            }
            if (top.object) {
                top.members.add(new JsonObject.Member(top.pendingKey, value));
            } else {
                top.items.add(value);
            }
            skipWhitespace();
            int c = next("a ',' or the end of the " + (top.object ? "object" : "array"));
            if (c == ',') {
                if (top.object) {
                    memberKey(top);
                }
                expectingValue = true;
            } else if (c == (top.object ? '}' : ']')) {
                open.pop();
                value = top.build();
                expectingValue = false;
            } else {
                pos--;
                throw fail(unexpected() + " where a ',' or " + (top.object ? "'}'" : "']'") + " belongs");
            }
        }
        skipWhitespace();
        if (pos < in.length) {
            throw fail("more follows the first JSON value (" + unexpected()
                    + "); the daemon would ignore it, so it is refused");
        }
        return value;
    }

    /** A scalar value; or, for '{' or '[', opens the container (reading its first key) and returns null. */
    private Json valueOrOpen() throws JsonBodyException {
        skipWhitespace();
        int c = next("a value");
        switch (c) {
            case '{', '[' -> {
                if (open.size() >= maxDepth) {
                    pos--;
                    throw fail("objects and arrays are nested deeper than " + maxDepth + " levels");
                }
                Open parent = open.peek();
                String key = parent != null && parent.object ? parent.pendingKey : null;
                int index = parent != null && !parent.object ? parent.items.size() : -1;
                Open container = new Open(c == '{', key, index);
                skipWhitespace();
                if (pos < in.length && in[pos] == (c == '{' ? '}' : ']')) {
                    pos++;
                    return container.build();
                }
                open.push(container);
                if (container.object) {
                    memberKey(container);
                }
                return null;
            }
            case '"' -> {
                return new JsonString(string());
            }
            case 't' -> {
                literal("true");
                return JsonBool.TRUE;
            }
            case 'f' -> {
                literal("false");
                return JsonBool.FALSE;
            }
            case 'n' -> {
                literal("null");
                return JsonNull.NULL;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    pos--;
                    return number();
                }
                pos--;
                throw fail(unexpected() + " where a value belongs");
            }
        }
    }

    /** Reads {@code "key" :} of the next member of {@code object}, refusing a key it already has. */
    private void memberKey(Open object) throws JsonBodyException {
        skipWhitespace();
        int start = pos;
        if (pos >= in.length || in[pos] != '"') {
            throw fail(pos >= in.length ? "the body ends inside an object" : unexpected() + " where a key belongs");
        }
        pos++;
        String key = string();
        if (!object.keys.add(key)) {
            pos = start;
            throw new JsonBodyException("body is not valid JSON: duplicate key " + Printable.quoted(key) + " in "
                    + place() + " (at byte " + start + ")");
        }
        object.pendingKey = key;
        skipWhitespace();
        int c = next("':'");
        if (c != ':') {
            pos--;
            throw fail(unexpected() + " where ':' belongs");
        }
    }

    private void literal(String word) throws JsonBodyException {
        int start = pos - 1;
        for (int i = 1; i < word.length(); i++) {
            if (pos >= in.length || in[pos] != word.charAt(i)) {
                pos = start;
                throw fail("a word that is not true, false or null");
            }
            pos++;
        }
    }

    private JsonNumber number() throws JsonBodyException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (pos >= in.length || !digit(in[pos])) {
            throw fail("a '-' not followed by a digit");
        }
        if (in[pos] == '0') {
            pos++;
            if (pos < in.length && digit(in[pos])) {
                pos = start;
                throw fail("a number with a leading zero");
            }
        } else {
            digits();
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (pos >= in.length || !digit(in[pos])) {
                throw fail("a '.' not followed by a digit in a number");
            }
            digits();
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (pos >= in.length || !digit(in[pos])) {
                throw fail("an exponent without digits in a number");
            }
            digits();
        }
        // Only ASCII was consumed, so the bytes are the literal's characters.
        return new JsonNumber(new String(in, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private void digits() {
        while (pos < in.length && digit(in[pos])) {
            pos++;
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The rest of a string whose opening quote has been read. */
    private String string() throws JsonBodyException {
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= in.length) {
                throw fail("the body ends inside a string");
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                return out.toString();
            }
            if (b == '\\') {
                escape(out);
            } else if (b < 0x20) {
                throw fail(String.format("a control character (U+%04X) inside a string; it must be escaped", b));
            } else if (b < 0x80) {
                out.append((char) b);
                pos++;
            } else {
                out.appendCodePoint(utf8());
            }
        }
    }

    private void escape(StringBuilder out) throws JsonBodyException {
        int start = pos;
        pos++;
        if (pos >= in.length) {
            throw fail("the body ends inside a string");
        }
        int c = in[pos++];
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                char unit = hex4(start);
                if (Character.isLowSurrogate(unit)) {
                    pos = start;
                    throw fail(String.format("a lone surrogate escape \\u%04x (a low surrogate without a high one)", (int) unit));
                }
                if (Character.isHighSurrogate(unit)) {
                    int second = pos;
                    if (pos + 1 >= in.length || in[pos] != '\\' || in[pos + 1] != 'u') {
                        pos = start;
                        throw fail(String.format("a lone surrogate escape \\u%04x (a high surrogate not followed by a low one)", (int) unit));
                    }
                    pos += 2;
                    char low = hex4(second);
                    if (!Character.isLowSurrogate(low)) {
                        pos = start;
                        throw fail(String.format("a surrogate escape \\u%04x followed by \\u%04x, which is not a low surrogate",
                                (int) unit, (int) low));
                    }
                    out.append(unit).append(low);
                } else {
                    out.append(unit);
                }
            }
            default -> {
                pos = start;
                throw fail("a bad escape in a string (only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX exist)");
            }
        }
    }

    private char hex4(int escapeStart) throws JsonBodyException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int d = pos < in.length ? Character.digit(in[pos], 16) : -1;
            if (d < 0 || in[pos] >= 0x80) {
                pos = escapeStart;
                throw fail("a \\u escape without four hex digits");
            }
            value = value * 16 + d;
            pos++;
        }
        return (char) value;
    }

    /** One UTF-8 sequence of a well-formed code point (RFC 3629: no overlong form, no surrogate, at most U+10FFFF). */
    private int utf8() throws JsonBodyException {
        int start = pos;
        int b = in[pos] & 0xff;
        int length;
        int min;
        int max = 0xbf;
        int cp;
        if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
            cp = b & 0x1f;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            cp = b & 0x0f;
            min = b == 0xe0 ? 0xa0 : 0x80;      // below: overlong
            max = b == 0xed ? 0x9f : 0xbf;      // above: an encoded surrogate
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            cp = b & 0x07;
            min = b == 0xf0 ? 0x90 : 0x80;      // below: overlong
            max = b == 0xf4 ? 0x8f : 0xbf;      // above: beyond U+10FFFF
        } else {
            throw fail(String.format("invalid UTF-8 (byte 0x%02X cannot start a character)", b));
        }
        for (int i = 1; i < length; i++) {
            if (start + i >= in.length) {
                throw fail("invalid UTF-8 (a character cut off by the end of the body)");
            }
            int next = in[start + i] & 0xff;
            int lo = i == 1 ? min : 0x80;
            int hi = i == 1 ? max : 0xbf;
            if (next < lo || next > hi) {
                throw fail(String.format("invalid UTF-8 (byte 0x%02X after 0x%02X: an overlong form, an encoded "
                        + "surrogate, a code point beyond U+10FFFF or a cut-off character)", next, b));
            }
            cp = (cp << 6) | (next & 0x3f);
        }
        pos = start + length;
        return cp;
    }

    private void skipWhitespace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private int next(String expected) throws JsonBodyException {
        if (pos >= in.length) {
            throw fail("the body ends where " + expected + " belongs");
        }
        return in[pos++] & 0xff;
    }

    private String unexpected() {
        int b = in[pos] & 0xff;
        return b >= 0x21 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02X", b);
    }

    private JsonBodyException fail(String what) {
        String where = open.isEmpty() ? "" : " in " + place() + ",";
        return new JsonBodyException("body is not valid JSON:" + where + " at byte " + pos + ": " + what);
    }

    /** Where the innermost open container sits, as a path: {@code HostConfig.Binds[2]}. */
    private String place() {
        StringBuilder path = new StringBuilder();
        Iterator<Open> outward = open.descendingIterator();
        outward.next(); // the document itself has no place in its parent
        outward.forEachRemaining(o -> {
            if (o.keyInParent != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(o.keyInParent.matches("[A-Za-z0-9_]+") ? o.keyInParent : Printable.quoted(o.keyInParent));
            } else {
                path.append('[').append(o.indexInParent).append(']');
            }
        });
        return path.length() == 0 ? "the top-level " + (open.peekLast().object ? "object" : "array") : path.toString();
    }
}
