package dockgate.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a raw query as the daemon's Go code does ({@code url.ParseQuery} of Go 1.19, which dockerd 20.10 is
 * built with), written from its documented behaviour, independent of dockgate's own reader: pairs split on
 * '&'; a pair holding ';' is an error and skipped; an empty pair is skipped; the name ends at the first '=';
 * '+' is a space and %XX a byte, anything else after '%' an error that skips the pair. Go strings are bytes,
 * so names and values are kept as bytes (here: ISO-8859-1 strings, one char per byte).
 */
public final class GoQuery {

    /** One parameter as Go holds it. */
    public record Pair(String name, String value) {
        /** From text as a UTF-8 reader would have it, for comparison with a Pair read by Go. */
        public static Pair ofText(String name, String value) {
            return new Pair(bytes(name), bytes(value));
        }

        private static String bytes(String text) {
            return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * @param pairs  the parameters in the order received (Go's map keeps each name's values in this order)
     * @param failed whether ParseQuery returned an error; the daemon answers such a query with 400
     */
    public record Reading(List<Pair> pairs, boolean failed) {
    }

    private GoQuery() {
    }

    /** @param raw the query after '?', as ISO-8859-1 text (one char per byte on the wire) */
    public static Reading parse(String raw) {
        List<Pair> pairs = new ArrayList<>();
        boolean failed = false;
        for (String pair : raw.split("&", -1)) {
            if (pair.contains(";")) {
                failed = true;
                continue;
            }
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = unescape(equals < 0 ? pair : pair.substring(0, equals));
            String value = unescape(equals < 0 ? "" : pair.substring(equals + 1));
            if (name == null || value == null) {
                failed = true;
                continue;
            }
            pairs.add(new Pair(name, value));
        }
        return new Reading(List.copyOf(pairs), failed);
    }

    /** Go's QueryUnescape; null for its error. */
    private static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    return null;
                }
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Go's unhex: ASCII hex digits only. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
