package dockgate.policy;

import java.time.Instant;

/**
 * Where the rules in force came from and how the last attempt to reload them went, for health checks.
 *
 * @param source      the rules file's name, or "built-in conf/rules"
 * @param rules       the number of rules in force, all profiles together
 * @param profiles    the number of profiles in force, the default one included
 * @param loadedAt    when the rules in force were loaded
 * @param lastError   FILE:LINE and the problem of the last attempt, or null when it succeeded
 * @param lastAttempt when rules were last read, successfully or not
 */
public record RulesStatus(String source, int rules, int profiles, Instant loadedAt, String lastError,
                          Instant lastAttempt) {

    static RulesStatus loaded(Rulebook rules, Instant at) {
        return new RulesStatus(rules.source(), rules.size(), rules.profiles().size(), at, null, at);
    }

    RulesStatus failed(String error, Instant at) {
        return new RulesStatus(source, rules, profiles, loadedAt, error, at);
    }
}
