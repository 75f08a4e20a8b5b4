package dockgate.policy;

/**
 * The verdict on one request.
 *
 * @param allowed whether the request may reach the daemon
 * @param rule    the rule that decided, or null when no rule matched
 * @param reason  a short human text for logs and error bodies
 * @param query   for a call whose path a rule allows but whose query it refuses, what is wrong with the
 *                query ("query parameter 'all' does not match ^1$"), which the client is told: without it,
 *                a refusal of a call the rules seem to allow is a puzzle; null otherwise
 */
public record Decision(boolean allowed, Rule rule, String reason, String query) {

    static Decision allow(Rule rule) {
        return new Decision(true, rule, "rule " + rule.location(), null);
    }

    static Decision deny(Rule rule, String reason) {
        return new Decision(false, rule, reason, null);
    }

    /** The rule matched the method and path; the query is what it refuses. */
    static Decision denyQuery(Rule rule, String problem) {
        return new Decision(false, rule, problem + " (rule " + rule.location() + ")", problem);
    }
}
