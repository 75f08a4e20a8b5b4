package dockgate.policy;

/**
 * The verdict on one request.
 *
 * @param allowed whether the request may reach the daemon
 * @param rule    the rule that decided, or null when no rule matched
 * @param reason  a short human text for logs and error bodies
 */
public record Decision(boolean allowed, Rule rule, String reason) {

    static Decision allow(Rule rule) {
        return new Decision(true, rule, "rule " + rule.location());
    }

    static Decision deny(Rule rule, String reason) {
        return new Decision(false, rule, reason);
    }
}
