package dockgate;

import dockgate.compat.TecnativaCompat;
import dockgate.policy.CompatException;
import dockgate.policy.Presets;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;

import java.io.IOException;
import java.util.Map;

/**
 * The rules the gateway starts with, as the command line asks: the built-in file, a rules file, a preset, or
 * docker-socket-proxy's environment variables read as rules ({@code --compat tecnativa}).
 *
 * @param rules  the rules in force at start
 * @param compat the compat reading, when rules came from it; null otherwise
 */
record RulesToServe(Rulebook rules, TecnativaCompat compat) {

    /** @throws UsageException with the message to print when the rules cannot be had */
    static RulesToServe load(CommandLine line, Map<String, String> env) throws UsageException {
        try {
            if (line.compat() != null) {
                TecnativaCompat compat = TecnativaCompat.fromEnvironment(env);
                return new RulesToServe(Rulebook.of(compat.profile()), compat);
            }
            if (line.preset() != null) {
                return new RulesToServe(Presets.load(line.preset()), null);
            }
            return new RulesToServe(line.rules() == null ? Rulebook.builtIn() : Rulebook.load(line.rules()), null);
        } catch (CompatException | RulesException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot read rules file " + line.rules() + ": " + e);
        }
    }

    /** What {@code --print-rules} prints: the rules as a rules file. */
    String text() {
        return compat != null ? compat.rulesText() : RulesListing.of(rules);
    }

    /** Every profile a listener names must exist. */
    void checkListenerProfiles(Iterable<ListenSpec> listeners) throws UsageException {
        for (ListenSpec listener : listeners) {
            try {
                if (listener.profile() != null) {
                    rules.profile(listener.profile());
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("--listen " + listener + ": " + e.getMessage());
            }
        }
    }
}
