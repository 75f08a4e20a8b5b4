package dockgate.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in force, where they came from and how the last attempt to reload them went: what
 * {@link LiveRules} hands out in one read, and what health checks and the admin pages show.
 *
 * @param source      the rules file's name, or "built-in conf/rules"
 * @param rules       the rules in force; null when none could be loaded
 * @param loadedAt    when the rules in force were loaded, or null
 * @param lastError   FILE:LINE and the problem of the last attempt, or null when it succeeded
 * @param lastAttempt when rules were last read, successfully or not, or null
 */
public record RulesInForce(String source, Rulebook rules, Instant loadedAt, String lastError, Instant lastAttempt) {

    static RulesInForce loaded(Rulebook rules, Instant at) {
        return new RulesInForce(rules.source(), rules, at, null, at);
    }

    /** The same rules still in force after a reload that failed. */
    RulesInForce failed(String error, Instant at) {
        return new RulesInForce(source, rules, loadedAt, error, at);
    }

    public boolean loaded() {
        return rules != null;
    }

    /** The number of rules in force, all profiles together; 0 when none are loaded. */
    public int ruleCount() {
        return rules == null ? 0 : rules.size();
    }

    /** The number of profiles in force, the default one included; 0 when none are loaded. */
    public int profileCount() {
        return rules == null ? 0 : rules.profiles().size();
    }

    /** Every rule in force, in file order, all profiles together; empty when none are loaded. */
    public List<Rule> ruleList() {
        List<Rule> list = new ArrayList<>();
        if (rules != null) {
            rules.profiles().forEach(profile -> list.addAll(profile.rules()));
        }
        return List.copyOf(list);
    }

    /**
     * Where each profile other than the default one starts: the location of its first rule, and its heading
     * ({@code profile traefik from 172.30.1.0/24}); empty without profiles.
     */
    public Map<String, String> profileHeadings() {
        Map<String, String> headings = new HashMap<>();
        if (rules != null) {
            for (Profile profile : rules.profiles()) {
                if (!profile.name().equals(Rulebook.DEFAULT_PROFILE) && !profile.rules().isEmpty()) {
                    headings.put(profile.rules().get(0).location(), rules.heading(profile.name()));
                }
            }
        }
        return Map.copyOf(headings);
    }
}
