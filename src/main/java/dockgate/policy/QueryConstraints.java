package dockgate.policy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The query constraints of one rule, checked against the raw query string the way the daemon (Go's
 * {@code url.ParseQuery}) will read it. Wherever the daemon might read the query differently from
 * us, the request is denied rather than guessed at.
 */
final class QueryConstraints {

    static final QueryConstraints NONE = new QueryConstraints(List.of());

    private final List<QueryConstraint> constraints;

    QueryConstraints(List<QueryConstraint> constraints) {
        this.constraints = List.copyOf(constraints);
    }

    boolean isEmpty() {
        return constraints.isEmpty();
    }

    List<QueryConstraint> asList() {
        return constraints;
    }

    /**
     * @param rawQuery the query string as the client sent it, still encoded; null when there was none
     * @return empty when every constraint holds, otherwise why not
     */
    Optional<String> violation(String rawQuery) {
        if (constraints.isEmpty()) {
            return Optional.empty();
        }
        String query = rawQuery == null ? "" : rawQuery;
        if (query.indexOf(';') >= 0) {
            // Go refuses the pair with ';' but other parsers split on it: two readings of one query.
            return Optional.of("';' in query string");
        }
        if (!escapesWellFormed(query)) {
            // Checked by hand because URLDecoder lets "%+1" through, which Go refuses.
            return Optional.of("malformed %-escape in query string");
        }
        String[] values = new String[constraints.size()];
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
                // Not reached after escapesWellFormed, but decide must deny, never throw.
                return Optional.of("malformed %-escape in query string");
            }
            if (name.indexOf('\uFFFD') >= 0 || value.indexOf('\uFFFD') >= 0) {
                // URLDecoder turns bad UTF-8 into U+FFFD, Go keeps the raw bytes: the regex would see other text.
                return Optional.of("query string is not valid UTF-8");
            }
            int index = indexOf(name);
            if (index < 0) {
                continue;
            }
            if (values[index] != null) {
                // The daemon reads the first copy; a later check or tool could read another.
                return Optional.of("query parameter '" + name + "' appears more than once");
            }
            values[index] = value;
        }
        for (int i = 0; i < values.length; i++) {
            QueryConstraint constraint = constraints.get(i);
            String value = values[i] == null ? "" : values[i];
            if (!constraint.accepts(value)) {
                return Optional.of("query parameter '" + constraint.name() + "' does not match "
                        + constraint.pattern().pattern());
            }
        }
        return Optional.empty();
    }

    private int indexOf(String name) {
        for (int i = 0; i < constraints.size(); i++) {
            if (constraints.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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
