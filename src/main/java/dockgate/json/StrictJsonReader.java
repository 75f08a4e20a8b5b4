package dockgate.json;

import java.util.ArrayDeque;
import java.util.Arrays;
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
public final class StrictJsonReader extends JsonScanner {

    // Immutable, so one of each serves every empty object, array and string and every 0 read: a docker
    // client sends a field of each at its zero value.
    private static final JsonObject EMPTY_OBJECT = new JsonObject(List.of());
    private static final JsonArray EMPTY_ARRAY = new JsonArray(List.of());
    private static final JsonString EMPTY_STRING = new JsonString("");
    private static final JsonNumber ZERO = new JsonNumber("0");

    private final int maxDepth;
    private final KnownKeys known;
    /** The containers open at {@link #pos}, innermost first. */
    private final Deque<Open> open = new ArrayDeque<>();

    private StrictJsonReader(byte[] in, int maxDepth, KnownKeys known) {
        super(in);
        this.maxDepth = maxDepth;
        this.known = known;
    }

    /**
     * The one JSON value of {@code body}. {@code maxDepth} is the deepest nesting of objects and arrays
     * accepted: 1 allows {@code {"a":1}} but not {@code {"a":[]}}.
     */
    public static Json read(byte[] body, int maxDepth) throws JsonBodyException {
        return readDocument(body, maxDepth, KnownKeys.NONE).value();
    }

    /**
     * The one JSON value of {@code body}, as {@link #read}, and whether the body up to the end of that value
     * is already byte for byte what {@link JsonWriter#write} writes for it: then those bytes can be sent as
     * they came. A key spelled as one of {@code known} is read as that String.
     */
    public static Document readDocument(byte[] body, int maxDepth, KnownKeys known) throws JsonBodyException {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, not " + maxDepth);
        }
        return new StrictJsonReader(body, maxDepth, known).document();
    }

    /**
     * A document's value; whether the body's bytes up to {@code end} are those the writer writes for it; and
     * where the value ends, before any white space that follows it.
     */
    public record Document(Json value, boolean asWritten, int end) {
    }

    /** An object or array being read: what it has so far, and where it sits in its parent, for messages. */
    private static final class Open {
        /** Up to this many members a new key is compared with each earlier one; from there on a set is kept. */
        private static final int SCANNED_KEYS = 8;

        final boolean object;
        final String keyInParent;
        final int indexInParent;
        /** The object's members or the array's items so far: the array the value's list is made of, uncopied. */
        private Object[] values = new Object[8];
        int size;
        private Set<String> keys;
        String pendingKey;

        Open(boolean object, String keyInParent, int indexInParent) {
            this.object = object;
            this.keyInParent = keyInParent;
            this.indexInParent = indexInParent;
        }

        void add(Json value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = object ? new JsonObject.Member(pendingKey, value) : value;
        }

        private String key(int i) {
            return ((JsonObject.Member) values[i]).key();
        }

        /** Whether the object has no member of this key yet (the pending key's member has been added by now). */
        boolean isNewKey(String key) {
            if (keys == null && size < SCANNED_KEYS) {
                for (int i = 0; i < size; i++) {
                    if (key(i).equals(key)) {
                        return false;
                    }
                }
                return true;
            }
            if (keys == null) {
                // A set once the object is larger: an object of many keys, as a hostile body may send, stays linear.
                keys = new HashSet<>(4 * SCANNED_KEYS);
                for (int i = 0; i < size; i++) {
                    keys.add(key(i));
                }
            }
            return keys.add(key);
        }

        Json build() {
            return object ? new JsonObject(new ReadList<>(values, size)) : new JsonArray(new ReadList<>(values, size));
        }
    }

    private Document document() throws JsonBodyException {
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
            top.add(value);
            skipWhitespace();
            // Two constant messages: one put together here was built after every value, for a failure that
            // almost never comes.
            int c = next(top.object ? "a ',' or the end of the object" : "a ',' or the end of the array");
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
        // White space after the value is no part of it (Go's encoder ends a body with a newline): the bytes
        // before it may still be the writer's.
        int end = pos;
        boolean written = asWritten;
        skipWhitespace();
        if (pos < in.length) {
            throw fail("more follows the first JSON value (" + unexpected()
                    + "); the daemon would ignore it, so it is refused");
        }
        return new Document(value, written, end);
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
                skipWhitespace();
                if (pos < in.length && in[pos] == (c == '{' ? '}' : ']')) {
                    pos++;
                    return c == '{' ? EMPTY_OBJECT : EMPTY_ARRAY;
                }
                Open parent = open.peek();
                String key = parent != null && parent.object ? parent.pendingKey : null;
                int index = parent != null && !parent.object ? parent.size : -1;
                Open container = new Open(c == '{', key, index);
                open.push(container);
                if (container.object) {
                    memberKey(container);
                }
                return null;
            }
            case '"' -> {
                if (pos < in.length && in[pos] == '"') {
                    pos++;
                    return EMPTY_STRING;
                }
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
                if (c == '0' && (pos == in.length || !digit(in[pos]) && in[pos] != '.' && in[pos] != 'e' && in[pos] != 'E')) {
                    return ZERO;
                }
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
        String key = key(known);
        if (!object.isNewKey(key)) {
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

    @Override
    String where() {
        return open.isEmpty() ? "" : " in " + place() + ",";
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
