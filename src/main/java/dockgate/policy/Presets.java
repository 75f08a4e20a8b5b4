package dockgate.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The presets: rules for one named consumer each, built into the jar from {@code conf/presets/NAME.rules}.
 * A preset is one default profile; it may name it ({@code profile default owner=... checks=...}) and define
 * the check sets its rules use, which stay its own.
 */
public final class Presets {

    private static final String DIRECTORY = "dockgate/presets/";
    private static final String SUFFIX = ".rules";

    /** Read once: the jar does not change while it runs. */
    private static final List<String> NAMES = list();

    private Presets() {
    }

    /** Every preset's name, sorted. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The rules of a preset. A preset that does not parse is a build error, hence unchecked.
     *
     * @throws IllegalArgumentException naming every preset, when there is none of that name
     */
    public static Rulebook load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no preset named '" + name + "' (presets: " + String.join(", ", NAMES) + ")");
        }
        String resource = "/" + DIRECTORY + name + SUFFIX;
        try (InputStream in = Presets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " is missing");
            }
            Rulebook rules = Rulebook.parse(source(name), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            rules.single();
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        } catch (RulesException e) {
            throw new IllegalStateException("preset " + name + " is broken: " + e.getMessage(), e);
        }
    }

    /** How a preset's rules name where they come from: "preset traefik", so a location reads "preset traefik:12". */
    static String source(String name) {
        return "preset " + name;
    }

    /**
     * The presets are listed from where this class was loaded, a directory of classes (a build) or the jar,
     * since a classpath cannot be asked what a folder holds.
     */
    private static List<String> list() {
        List<String> names = new ArrayList<>();
        try {
            Path where = Path.of(Presets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                Path folder = where.resolve(DIRECTORY);
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        files.map(file -> file.getFileName().toString()).forEach(file -> add(names, file));
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(where.toFile())) {
                    jar.stream().map(ZipEntry::getName)
                            .filter(entry -> entry.startsWith(DIRECTORY))
                            .forEach(entry -> add(names, entry.substring(DIRECTORY.length())));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the presets: " + e, e);
        }
        Collections.sort(names);
        return List.copyOf(names);
    }

    private static void add(List<String> names, String file) {
        if (file.endsWith(SUFFIX) && file.indexOf('/') < 0 && file.length() > SUFFIX.length()) {
            names.add(file.substring(0, file.length() - SUFFIX.length()));
        }
    }
}
