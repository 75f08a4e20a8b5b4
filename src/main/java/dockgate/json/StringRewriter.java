package dockgate.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A document with the strings at its {@link JsonPlace}s edited, and every other byte as the daemon sent it.
 * The whole document is checked as {@link StrictJsonReader} checks it (its grammar, UTF-8, escapes, one value,
 * a bounded nesting), so what cannot be read one way is refused rather than passed on; but nothing is built
 * for it, and an edited string is the only part written anew. Every member a place names is followed, a
 * second one of the same key too, so a key written twice is edited twice, never left as it came.
 */
public final class StringRewriter extends JsonScanner {

    private final int maxDepth;
    /** The edits found so far, in document order: the start and end of each string replaced, and its new bytes. */
    private final List<int[]> spans = new ArrayList<>();
    private final List<byte[]> replacements = new ArrayList<>();

    private StringRewriter(byte[] in, int maxDepth) {
        super(in);
        this.maxDepth = maxDepth;
    }

    /**
     * The document with its strings at {@code places} edited; the same array when no edit changed anything.
     * {@code maxDepth} bounds the nesting of objects and arrays, as {@link StrictJsonReader#read} does.
     */
    public static byte[] rewrite(byte[] document, JsonPlace places, int maxDepth) throws JsonBodyException {
        StringRewriter rewriter = new StringRewriter(document, maxDepth);
        rewriter.document(places);
        return rewriter.edited();
    }

    private void document(JsonPlace places) throws JsonBodyException {
        if (in.length >= 3 && (in[0] & 0xff) == 0xef && (in[1] & 0xff) == 0xbb && (in[2] & 0xff) == 0xbf) {
            throw fail("it starts with a byte order mark (U+FEFF)");
        }
        value(places, 0);
        skipWhitespace();
        if (pos < in.length) {
            throw fail("more follows the first JSON value (" + unexpected() + ")");
        }
    }

    // Recursion is bounded by maxDepth, checked before each level is entered.
    private void value(JsonPlace place, int depth) throws JsonBodyException {
        skipWhitespace();
        int c = next("a value");
        switch (c) {
            case '{' -> object(place != null && place.hasMembers() ? place : null, depth + 1);
            case '[' -> array(place == null ? null : place.items(), depth + 1);
            case '"' -> {
                if (place != null && place.edit() != null) {
                    int start = pos - 1;
                    String edited = place.edit().apply(string());
                    if (edited != null) {
                        spans.add(new int[] {start, pos});
                        replacements.add(JsonWriter.string(edited));
                    }
                } else {
                    skipString();
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                pos--;
                if (c != '-' && (c < '0' || c > '9')) {
                    throw fail(unexpected() + " where a value belongs");
                }
                skipNumber();
            }
        }
    }

    private void object(JsonPlace place, int depth) throws JsonBodyException {
        enter(depth);
        skipWhitespace();
        if (pos < in.length && in[pos] == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            if (next("a key") != '"') {
                pos--;
                throw fail(unexpected() + " where a key belongs");
            }
            JsonPlace member = null;
            if (place != null) {
                member = place.member(GoKeyFold.fold(string()));
            } else {
                skipString();
            }
            skipWhitespace();
            if (next("':'") != ':') {
                pos--;
                throw fail(unexpected() + " where ':' belongs");
            }
            value(member, depth);
            skipWhitespace();
            int c = next("a ',' or the end of the object");
            if (c == '}') {
                return;
            }
            if (c != ',') {
                pos--;
                throw fail(unexpected() + " where a ',' or '}' belongs");
            }
        }
    }

    private void array(JsonPlace items, int depth) throws JsonBodyException {
        enter(depth);
        skipWhitespace();
        if (pos < in.length && in[pos] == ']') {
            pos++;
            return;
        }
        while (true) {
            value(items, depth);
            skipWhitespace();
            int c = next("a ',' or the end of the array");
            if (c == ']') {
                return;
            }
            if (c != ',') {
                pos--;
                throw fail(unexpected() + " where a ',' or ']' belongs");
            }
        }
    }

    private void enter(int depth) throws JsonBodyException {
        if (depth > maxDepth) {
            pos--;
            throw fail("objects and arrays are nested deeper than " + maxDepth + " levels");
        }
    }

    private byte[] edited() {
        if (spans.isEmpty()) {
            return in;
        }
        int length = in.length;
        for (int i = 0; i < spans.size(); i++) {
            length += replacements.get(i).length - (spans.get(i)[1] - spans.get(i)[0]);
        }
        byte[] out = new byte[length];
        int from = 0;
        int to = 0;
        for (int i = 0; i < spans.size(); i++) {
            int[] span = spans.get(i);
            System.arraycopy(in, from, out, to, span[0] - from);
            to += span[0] - from;
            byte[] replacement = replacements.get(i);
            System.arraycopy(replacement, 0, out, to, replacement.length);
            to += replacement.length;
            from = span[1];
        }
        System.arraycopy(in, from, out, to, in.length - from);
        return out;
    }

    @Override
    String where() {
        return "";
    }
}
