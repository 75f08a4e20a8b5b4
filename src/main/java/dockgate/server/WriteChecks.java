package dockgate.server;

import dockgate.guard.CheckSet;
import dockgate.guard.ImagePulls;
import dockgate.guard.Inspection;
import dockgate.guard.Refused;
import dockgate.json.JsonBodyException;
import dockgate.policy.Query;
import dockgate.policy.Rule;
import dockgate.policy.UnreadableQueryException;

import java.util.List;

/**
 * The checks of a write call as the handler meets them: the deciding rule's check set applied to a body or
 * to a pull's query, and what the client is told when they refuse. The log's reason adds the rule and
 * profile to the message, so an operator sees which rules refused.
 */
final class WriteChecks {

    /** What became of a checked body: the bytes to send the daemon, or the refusal. */
    record Verdict(byte[] send, Refusal refusal) {
    }

    private WriteChecks() {
    }

    /** A call only audit mode lets through may have no rule: it is judged by the strictest checks. */
    private static CheckSet checksOf(Rule rule) {
        return rule == null ? CheckSet.STRICT : rule.checks();
    }

    static Verdict body(Inspection inspection, byte[] body, Rule rule, String profileName) {
        CheckSet checks = checksOf(rule);
        try {
            return new Verdict(inspection.inspect(body, checks), null);
        } catch (JsonBodyException e) {
            return new Verdict(null, new Refusal(400, "the " + inspection.what() + " body cannot be read one way only: "
                    + e.getMessage()));
        } catch (Refused e) {
            return new Verdict(null, refused(inspection.what(), e, checks, rule, profileName));
        }
    }

    /** Why a pull or import is refused by the deciding rule's checks, or null when it passes. */
    static Refusal pull(Query query, Rule rule, String profileName) {
        CheckSet checks = checksOf(rule);
        try {
            List<String> values = query.valuesOnce(ImagePulls.PARAMETERS);
            ImagePulls.check(values.get(0), values.get(1), values.get(2), checks);
            return null;
        } catch (UnreadableQueryException e) {
            return new Refusal(400, "bad query: " + e.getMessage());
        } catch (Refused e) {
            return refused("image create", e, checks, rule, profileName);
        }
    }

    private static Refusal refused(String what, Refused e, CheckSet checks, Rule rule, String profileName) {
        String message = e.describe(what, checks);
        return new Refusal(403, message, message + " (rule " + (rule == null ? "none" : rule.location())
                + (profileName == null ? "" : ", profile " + profileName) + ")");
    }
}
