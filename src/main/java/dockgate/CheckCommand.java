package dockgate;

import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code dockgate check FILE...}: whether rules files would load, without serving anything. */
final class CheckCommand {

    private CheckCommand() {
    }

    /**
     * Exit 0 when every file is valid (warnings do not change that), 2 when one is not or cannot be read,
     * or none was named.
     */
    static int run(List<String> files, PrintStream out, PrintStream err) {
        if (files.isEmpty()) {
            err.println("dockgate: check needs a rules file: dockgate check FILE...");
            return 2;
        }
        int exit = 0;
        for (String name : files) {
            if (name.startsWith("--")) {
                err.println("dockgate: check takes only rules files, not '" + name + "'");
                return 2;
            }
            try {
                Rulebook rules = Rulebook.load(Path.of(name));
                out.println(name + ": OK, " + rules.counts());
                warnings(name, rules).forEach(out::println);
            } catch (RulesException e) {
                // Every line was checked: the first error and each one after it.
                out.println(e.getMessage());
                for (Throwable more : e.getSuppressed()) {
                    out.println(more.getMessage());
                }
                exit = 2;
            } catch (IOException e) {
                err.println("dockgate: cannot read rules file " + name + ": " + e);
                exit = 2;
            }
        }
        return exit;
    }

    /** What loads but will not serve the clients people run: a profile that refuses their first call. */
    private static List<String> warnings(String name, Rulebook rules) {
        boolean several = rules.profiles().size() > 1;
        return rules.profiles().stream().filter(profile -> !profile.allowsPing())
                .map(profile -> name + ": warning: GET /_ping is not allowed"
                        + (several ? " in profile " + profile.name() : "") + " (" + Profile.PING_HINT + ")")
                .toList();
    }
}
