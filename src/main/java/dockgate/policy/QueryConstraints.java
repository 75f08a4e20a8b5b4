package dockgate.policy;

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
    private final List<String> names;

    QueryConstraints(List<QueryConstraint> constraints) {
        this.constraints = List.copyOf(constraints);
        this.names = this.constraints.stream().map(QueryConstraint::name).toList();
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
        List<String> values;
        try {
            values = QueryParameters.read(rawQuery, names);
        } catch (QueryParameters.UnreadableQueryException e) {
            return Optional.of(e.getMessage());
        }
        for (int i = 0; i < values.size(); i++) {
            QueryConstraint constraint = constraints.get(i);
            if (!constraint.accepts(values.get(i))) {
                return Optional.of("query parameter '" + constraint.name() + "' does not match "
                        + constraint.pattern().pattern());
            }
        }
        return Optional.empty();
    }
}
