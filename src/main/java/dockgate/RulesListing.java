package dockgate;

import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;

/** The rules in force as rules text, one per line with where it came from, for {@code --print-rules}. */
final class RulesListing {

    private RulesListing() {
    }

    static String of(Rulebook rules) {
        StringBuilder text = new StringBuilder("# ").append(rules).append('\n');
        for (Profile profile : rules.profiles()) {
            if (!profile.name().equals(Rulebook.DEFAULT_PROFILE)) {
                text.append('\n').append(rules.heading(profile.name())).append('\n');
            }
            for (Rule rule : profile.rules()) {
                text.append(rule.text()).append("   # ").append(rule.location()).append('\n');
            }
        }
        return text.toString();
    }
}
