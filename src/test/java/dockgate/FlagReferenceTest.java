package dockgate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flags are described once, in {@link Flags}. The usage text is made from it; docs/configuration.md
 * carries its tables, and this test fails when they differ. Run it with {@code -Ddockgate.writeDocs=true}
 * to write the tables into the docs after changing a flag. The README shows a few flags and must not name
 * one that does not exist.
 */
class FlagReferenceTest {

    private static final Path DOCS = Path.of("docs/configuration.md");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z-]+)");
    private static final Pattern ENV = Pattern.compile("DOCKGATE_[A-Z_]+");

    private static Set<String> parsed() {
        Set<String> flags = new TreeSet<>(CommandLine.OPTIONS);
        flags.addAll(Set.of("print-rules", "help", "version"));
        return flags;
    }

    @Test
    void theUsageTextDescribesEveryFlagTheParserReads() {
        Set<String> described = new TreeSet<>();
        for (String line : Flags.usage().split("\n")) {
            Matcher flag = FLAG.matcher(line);
            if (line.startsWith("  --") && flag.find()) {
                described.add(flag.group(1));
            }
        }
        // The options of explain are described too; those dockgate itself does not take are no concern here.
        Flags.EXPLAIN.stream().map(Flag::name).filter(name -> !CommandLine.OPTIONS.contains(name)).forEach(described::remove);
        assertEquals(parsed(), described);
    }

    @Test
    void theConfigurationReferenceCarriesTheFlagTables() throws IOException {
        String docs = Files.readString(DOCS);
        String written = replaceTable(replaceTable(docs, "| flag | environment |", Flags.optionsTable()),
                "| flag | default | what it limits |", Flags.limitsTable());
        if (Boolean.getBoolean("dockgate.writeDocs")) {
            Files.writeString(DOCS, written);
            docs = written;
        }
        assertEquals(written, docs, DOCS + " differs from the flags in Flags.java; run this test with"
                + " -Ddockgate.writeDocs=true to write them in");
    }

    /** The text with the Markdown table that starts with {@code header} replaced by {@code table}. */
    private static String replaceTable(String text, String header, String table) {
        int start = text.indexOf(header);
        assertTrue(start >= 0, DOCS + " has no table starting " + header);
        int end = text.indexOf("\n\n", start);
        return text.substring(0, start) + table + text.substring(end + 1);
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
            assertTrue(name.equals("DOCKGATE_JAVA_OPTS")
                            || CommandLine.OPTIONS.stream().anyMatch(f -> CommandLine.variable(f).equals(name)),
                    "README names " + name + ", which nothing reads (DOCKGATE_JAVA_OPTS is the launcher's)");
        }
    }
}
