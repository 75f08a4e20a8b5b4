package dockgate.admin;

import dockgate.policy.LiveRules;
import dockgate.policy.Policy;
import dockgate.policy.RulesStatus;
import dockgate.policy.Rule;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rules as the admin listener shows them. The admin listener asks a {@code Supplier<RulesState>} on every
 * request, so a holder that reloads rules only has to hand out a new one of these.
 *
 * @param source      the rules file's name, or "built-in conf/rules"
 * @param rules       the rules in force, in file order; null when none could be loaded
 * @param loadedAt    when they were loaded, or null
 * @param lastError   the error of the last failed load, or null
 * @param lastAttempt when the rules were last loaded or tried (a reload that failed), or null
 */
public record RulesState(String source, List<Rule> rules, Instant loadedAt, String lastError, Instant lastAttempt) {

    public boolean loaded() {
        return rules != null;
    }

    /** The rules in force and how their last reload went, read anew on every call. */
    public static Supplier<RulesState> live(LiveRules holder) {
        return () -> {
            RulesStatus status = holder.status();
            List<Rule> rules = holder.current().profiles().stream().flatMap(p -> p.rules().stream()).toList();
            return new RulesState(status.source(), rules, status.loadedAt(), status.lastError(), status.lastAttempt());
        };
    }

    /** For a gateway whose rules never change: the policy it started with. */
    public static Supplier<RulesState> fixed(Policy policy) {
        Instant now = Instant.now();
        RulesState state = new RulesState(policy.source(), policy.rules(), now, null, now);
        return () -> state;
    }
}
