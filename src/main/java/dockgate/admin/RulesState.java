package dockgate.admin;

import dockgate.policy.LiveRules;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesStatus;
import dockgate.policy.Rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param profiles    where each profile other than the default one starts: the location of its first rule
 *                    and its heading ({@code profile traefik from 172.30.1.0/24}); empty without profiles
 */
public record RulesState(String source, List<Rule> rules, Instant loadedAt, String lastError, Instant lastAttempt,
                         Map<String, String> profiles) {

    public RulesState(String source, List<Rule> rules, Instant loadedAt, String lastError, Instant lastAttempt) {
        this(source, rules, loadedAt, lastError, lastAttempt, Map.of());
    }

    public boolean loaded() {
        return rules != null;
    }

    /** The rules in force and how their last reload went, read anew on every call. */
    public static Supplier<RulesState> live(LiveRules holder) {
        return () -> {
            RulesStatus status = holder.status();
            Rulebook book = holder.current();
            List<Rule> rules = new ArrayList<>();
            Map<String, String> profiles = new HashMap<>();
            for (Profile profile : book.profiles()) {
                if (!profile.name().equals(Rulebook.DEFAULT_PROFILE) && !profile.rules().isEmpty()) {
                    profiles.put(profile.rules().get(0).location(), book.heading(profile.name()));
                }
                rules.addAll(profile.rules());
            }
            return new RulesState(status.source(), List.copyOf(rules), status.loadedAt(), status.lastError(),
                    status.lastAttempt(), Map.copyOf(profiles));
        };
    }

    /** For a gateway whose rules never change: the policy it started with. */
    public static Supplier<RulesState> fixed(Profile policy) {
        Instant now = Instant.now();
        RulesState state = new RulesState(policy.source(), policy.rules(), now, null, now);
        return () -> state;
    }
}
