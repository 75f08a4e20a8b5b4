package dockgate;

import dockgate.policy.Decision;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;

import java.util.ArrayList;
import java.util.List;

/**
 * The write routes whose bodies dockgate does not check and that give whoever may call them the host or
 * its secrets: builds, plugins, swarm membership, secrets and configs, archive uploads, image loads and
 * sessions. A rules file may allow them; the operator is told at start which rules do.
 */
final class UncheckedWrites {

    /** One call of each such route, as a client would make it. */
    private static final List<String[]> CALLS = List.of(
            new String[] {"POST", "/build"}, new String[] {"POST", "/session"},
            new String[] {"POST", "/plugins/pull"}, new String[] {"POST", "/plugins/create"},
            new String[] {"POST", "/plugins/p/enable"}, new String[] {"POST", "/plugins/p/set"},
            new String[] {"POST", "/plugins/p/upgrade"},
            new String[] {"POST", "/swarm/init"}, new String[] {"POST", "/swarm/join"},
            new String[] {"POST", "/swarm/update"},
            new String[] {"POST", "/secrets/create"}, new String[] {"POST", "/secrets/s/update"},
            new String[] {"POST", "/configs/create"}, new String[] {"POST", "/configs/c/update"},
            new String[] {"PUT", "/containers/c/archive"}, new String[] {"POST", "/images/load"});

    private UncheckedWrites() {
    }

    /** "profile ci: POST /build (by rules:12)" for each such call a profile allows. */
    static List<String> allowedBy(Rulebook rules) {
        List<String> found = new ArrayList<>();
        for (Profile profile : rules.profiles()) {
            for (String[] call : CALLS) {
                Decision decision = profile.decide(call[0], call[1], (String) null);
                if (decision.allowed()) {
                    found.add("profile " + profile.name() + ": " + call[0] + " " + call[1] + " (by "
                            + decision.rule().location() + ")");
                }
            }
        }
        return found;
    }
}
