package dockgate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flags are described in three places: the parser's list, the usage text, and the reference in
 * docs/configuration.md (the README shows a few of them). These must name the same flags, each with the
 * environment variable the parser reads, so that none of them can silently fall behind.
 */
class FlagReferenceTest {

    private static final Set<String> WITHOUT_VALUE = Set.of("print-rules", "help", "version");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z-]+)");
    private static final Pattern ENV = Pattern.compile("DOCKGATE_[A-Z_]+");

    private static Set<String> parsed() {
        Set<String> flags = new TreeSet<>(CommandLine.OPTIONS);
        flags.addAll(WITHOUT_VALUE);
        return flags;
    }

    /** The flags a text describes at the start of a line (usage) or of a table row (docs). */
    private static Set<String> described(String text, Pattern lineStart) {
        Set<String> flags = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher start = lineStart.matcher(line);
            if (start.lookingAt()) {
                Matcher flag = FLAG.matcher(line.substring(start.end()));
                if (flag.lookingAt()) {
                    flags.add(flag.group(1));
                }
            }
        }
        return flags;
    }

    private static String env(String flag) {
        return "DOCKGATE_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Test
    void theUsageTextDescribesEveryFlagTheParserReads() {
        assertEquals(parsed(), described(CommandLine.USAGE, Pattern.compile(" {2}")));
    }

    @Test
    void theConfigurationReferenceDescribesEveryFlagWithItsVariable() throws IOException {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        assertEquals(parsed(), described(docs, Pattern.compile("\\| `")));
        for (String line : docs.split("\n")) {
            Matcher env = ENV.matcher(line);
            while (line.startsWith("| `--") && env.find()) {
                String name = env.group();
                assertTrue(CommandLine.OPTIONS.stream().anyMatch(flag -> env(flag).equals(name)),
                        "docs/configuration.md names " + name + ", which nothing reads: " + line);
            }
        }
    }

    @Test
    void theReadmeNamesOnlyRealFlagsAndTheirRealVariables() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher flag = FLAG.matcher(readme);
        Set<String> unknown = new TreeSet<>();
        while (flag.find()) {
            if (!parsed().contains(flag.group(1))) {
                unknown.add(flag.group(1));
            }
        }
        // Flags of other programs the README shows (docker run -v, --rm...) and of the rules commands.
        unknown.removeAll(Set.of("rm", "client", "profile", "network", "mount", "privileged", "link"));
        assertEquals(Set.of(), unknown, "README names flags dockgate does not have");
        Matcher env = ENV.matcher(readme);
        while (env.find()) {
            String name = env.group();
            assertTrue(name.equals("DOCKGATE_JAVA_OPTS") || CommandLine.OPTIONS.stream().anyMatch(f -> env(f).equals(name)),
                    "README names " + name + ", which nothing reads (DOCKGATE_JAVA_OPTS is the launcher's)");
        }
    }
}
