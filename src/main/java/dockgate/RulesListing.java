package dockgate;

import dockgate.policy.Policy;
import dockgate.policy.Rule;

/** The rules of a policy as rules text, one per line with where it came from, for {@code --print-rules}. */
final class RulesListing {

    private RulesListing() {
    }

    static String of(Policy policy) {
        StringBuilder text = new StringBuilder("# ").append(policy).append('\n');
        for (Rule rule : policy.rules()) {
            text.append(rule.text()).append("   # ").append(rule.location()).append('\n');
        }
        return text.toString();
    }
}
