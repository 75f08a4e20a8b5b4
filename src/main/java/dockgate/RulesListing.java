package dockgate;

import dockgate.guard.CheckSet;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;

/** The rules in force as rules text, one per line with where it came from, for {@code --print-rules}. */
final class RulesListing {

    private RulesListing() {
    }

    static String of(Rulebook rules) {
        StringBuilder text = new StringBuilder("# ").append(rules).append('\n');
        for (CheckSet checks : rules.checkSets()) {
            text.append("checks ").append(checks.name()).append("   # ").append(checks.location()).append('\n');
            for (String line : checks.lines()) {
                text.append("    ").append(line).append('\n');
            }
            text.append('\n');
        }
        for (Profile profile : rules.profiles()) {
            boolean isDefault = profile.name().equals(Rulebook.DEFAULT_PROFILE);
            String heading = rules.heading(profile.name());
            if (!isDefault || heading.contains(" checks=")) {
                text.append(isDefault ? "" : "\n").append(heading).append('\n');
            }
            // A preset's rules are shown as comments: under its profile line a rule would be an error.
            String mark = rules.presetOf(profile.name()) == null ? "" : "#   ";
            for (Rule rule : profile.rules()) {
                text.append(mark).append(rule.text()).append("   # ").append(rule.location()).append('\n');
            }
        }
        return text.toString();
    }
}
