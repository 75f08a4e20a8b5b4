package dockgate.policy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads named query parameters the way the daemon (Go's {@code url.ParseQuery}) will. Wherever the daemon
 * might read the query differently from us, the query is refused as unreadable rather than guessed at.
 */
public final class QueryParameters {

    /** Why a query cannot be read unambiguously; the message is the human reason. */
    public static final class UnreadableQueryException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableQueryException(String reason) {
            // No stack trace: odd queries are expected traffic, not a program error.
            super(reason, null, false, false);
        }
    }

    private QueryParameters() {
    }

    /**
     * @param rawQuery the query string as the client sent it, still encoded; null when there was none
     * @param names    the parameters wanted
     * @return the decoded value of each named parameter, in the order of {@code names}; "" when absent
     * @throws UnreadableQueryException when the daemon could read a different value than we would
     */
    public static List<String> read(String rawQuery, List<String> names) throws UnreadableQueryException {
        String query = rawQuery == null ? "" : rawQuery;
        if (query.indexOf(';') >= 0) {
            // Go refuses the pair with ';' but other parsers split on it: two readings of one query.
            throw new UnreadableQueryException("';' in query string");
        }
        if (!escapesWellFormed(query)) {
            // Checked by hand because URLDecoder lets "%+1" through, which Go refuses.
            throw new UnreadableQueryException("malformed %-escape in query string");
        }
        String[] values = new String[names.size()];
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name;
            String value;
            try {
                name = decode(equals < 0 ? pair : pair.substring(0, equals));
                value = decode(equals < 0 ? "" : pair.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                // Not reached after escapesWellFormed, but callers must get a reason, never a crash.
                throw new UnreadableQueryException("malformed %-escape in query string");
            }
            if (name.indexOf('\uFFFD') >= 0 || value.indexOf('\uFFFD') >= 0) {
                // URLDecoder turns bad UTF-8 into U+FFFD, Go keeps the raw bytes: a check would see other text.
                throw new UnreadableQueryException("query string is not valid UTF-8");
            }
            int index = names.indexOf(name);
            if (index < 0) {
                continue;
            }
            if (values[index] != null) {
                // The daemon reads the first copy; a later check or tool could read another.
                throw new UnreadableQueryException("query parameter '" + name + "' appears more than once");
            }
            values[index] = value;
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                values[i] = "";
            }
        }
        return Arrays.asList(values);
    }

    /** Decodes as Go's QueryUnescape does: '+' is a space, %XX a byte, bytes read as UTF-8. */
    private static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    private static boolean escapesWellFormed(String query) {
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || !isHex(query.charAt(i + 1)) || !isHex(query.charAt(i + 2))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
