package dockgate.policy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's query, parsed once: its parameters in the order received, each name and value decoded as the
 * daemon's Go code ({@code url.ParseQuery}) decodes them. The rules judge these values, and the daemon is
 * sent {@link #canonical()}, these same values encoded one way, never the client's own string. A query that
 * could be read two ways is refused when it is parsed.
 */
public final class Query {

    public static final Query EMPTY = new Query(List.of(), List.of());

    /**
     * Characters a raw query may hold: RFC 3986's query characters less ';'. Anything else would be a byte
     * that some reader (Undertow, Go, a log) treats specially, or has no one reading.
     */
    private static final boolean[] RAW = AsciiTable.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~!$&'()*+,=:@/?%");
    /** Left as they are when encoding; every other byte is written %XX. */
    private static final boolean[] UNRESERVED = AsciiTable.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final List<String> names;
    private final List<String> values;
    private String canonical;

    private Query(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /**
     * @param raw the query as the client sent it, still encoded, without the '?'; null or "" for none
     * @throws UnreadableQueryException when the daemon could read other values than these, or none at all
     */
    public static Query parse(String raw) throws UnreadableQueryException {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        checkRaw(raw);
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            // Go skips empty pairs ("a=1&&b=2"); so do we, and they are not forwarded.
            if (end > start) {
                int equals = raw.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    names.add(decode(raw, start, end));
                    values.add("");
                } else {
                    names.add(decode(raw, start, equals));
                    values.add(decode(raw, equals + 1, end));
                }
            }
            start = end + 1;
        }
        return names.isEmpty() ? EMPTY : new Query(List.copyOf(names), List.copyOf(values));
    }

    private static void checkRaw(String raw) throws UnreadableQueryException {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ';') {
                // Go refuses a pair with ';' where older readers split on it: two readings of one query.
                throw new UnreadableQueryException("';' in query string");
            }
            if (c == '%') {
                if (AsciiTable.escapedByte(raw, i) < 0) {
                    throw new UnreadableQueryException("malformed %-escape in query string");
                }
                i += 2;
            } else if (c > 0x7f) {
                throw new UnreadableQueryException("non-ASCII character in query string");
            } else if (c < 0x20 || c == 0x7f) {
                throw new UnreadableQueryException("control character in query string");
            } else if (!RAW[c]) {
                throw new UnreadableQueryException("character '" + c + "' not allowed in query string");
            }
        }
    }

    /** Go's QueryUnescape: '+' is a space, %XX a byte, and the bytes must be UTF-8 for a check to mean anything. */
    private static String decode(String raw, int from, int to) throws UnreadableQueryException {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = raw.charAt(i);
            plain = c != '%' && c != '+';
        }
        if (plain) {
            return raw.substring(from, to);
        }
        ByteBuffer bytes = ByteBuffer.allocate(to - from);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.put((byte) AsciiTable.escapedByte(raw, i));
                i += 2;
            } else {
                bytes.put((byte) (c == '+' ? ' ' : c));
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = utf8.decode(bytes);
            return text.toString();
        } catch (CharacterCodingException e) {
            // Go keeps the raw bytes where Java would see U+FFFD: a check would judge other text.
            throw new UnreadableQueryException("query string is not valid UTF-8");
        }
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** The number of parameters, repeated ones counted each time. */
    public int size() {
        return names.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public String value(int index) {
        return values.get(index);
    }

    /**
     * The value of each named parameter, for a check that must judge exactly the value the daemon reads.
     *
     * @return the values in the order of {@code wanted}; "" for one that is absent, as the daemon reads it
     * @throws UnreadableQueryException when a wanted parameter is given twice: which copy counts is a
     *                                  reader's choice, so a check cannot be sure to judge the one used
     */
    public List<String> valuesOnce(List<String> wanted) throws UnreadableQueryException {
        String[] found = new String[wanted.size()];
        for (int i = 0; i < names.size(); i++) {
            int index = wanted.indexOf(names.get(i));
            if (index < 0) {
                continue;
            }
            if (found[index] != null) {
                throw new UnreadableQueryException("query parameter '" + names.get(i) + "' appears more than once");
            }
            found[index] = values.get(i);
        }
        for (int i = 0; i < found.length; i++) {
            if (found[i] == null) {
                found[i] = "";
            }
        }
        return List.of(found);
    }

    /**
     * A copy with the parameter of this name given this one value, in the place of its first appearance or
     * appended, and its other appearances dropped: how a scope sends the daemon the filters it merged.
     */
    public Query with(String name, String value) {
        List<String> newNames = new ArrayList<>(names.size() + 1);
        List<String> newValues = new ArrayList<>(names.size() + 1);
        boolean placed = false;
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(name)) {
                newNames.add(names.get(i));
                newValues.add(values.get(i));
            } else if (!placed) {
                newNames.add(name);
                newValues.add(value);
                placed = true;
            }
        }
        if (!placed) {
            newNames.add(name);
            newValues.add(value);
        }
        return new Query(List.copyOf(newNames), List.copyOf(newValues));
    }

    /**
     * The query to send the daemon: every parameter in the order received, as {@code name=value}, each byte
     * of its UTF-8 outside {@code A-Z a-z 0-9 - . _ ~} written as %XX (so a space is %20, never '+').
     * Empty for an empty query.
     */
    public String canonical() {
        String built = canonical;
        if (built == null) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append('&');
                }
                encode(names.get(i), out);
                out.append('=');
                encode(values.get(i), out);
            }
            built = out.toString();
            canonical = built;
        }
        return built;
    }

    private static void encode(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (codePoint < UNRESERVED.length && UNRESERVED[codePoint]) {
                out.append((char) codePoint);
            } else {
                for (byte b : text.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            i = next;
        }
    }

    @Override
    public String toString() {
        return canonical();
    }
}
