package dockgate.policy;

import java.util.List;
import java.util.Optional;

/**
 * The query constraints of one rule, checked against the query's parameters as the daemon reads them
 * ({@link Query}). A constrained parameter given twice is denied: which copy counts is a reader's choice.
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
     * @param query the request's parsed query
     * @return empty when every constraint holds, otherwise why not
     */
    Optional<String> violation(Query query) {
        if (constraints.isEmpty()) {
            return Optional.empty();
        }
        List<String> values;
        try {
            values = query.valuesOnce(names);
        } catch (UnreadableQueryException e) {
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
