package dockgate.policy;

import dockgate.access.AllowedClients;
import dockgate.guard.CheckSet;
import dockgate.scope.Scope;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole rules file: the default profile and any named profiles, each a {@link Profile}. Immutable, so a
 * reload builds a new one and swaps it in; a request keeps the one it started with.
 *
 * <p>A client is judged by the first profile, in file order, whose {@code from} ranges contain its
 * address, and by the default profile when none does. A profile without {@code from} is only used when
 * asked for by name.
 */
public final class Rulebook {

    /** The name of the rules before the first profile line. */
    public static final String DEFAULT_PROFILE = "default";

    static final String BUILT_IN_RESOURCE = "/dockgate/rules";

    /** A profile with the client ranges that select it; null ranges: only by name (or the default). */
    private record Entry(Profile profile, AllowedClients from) {
    }

    private final String source;
    private final Path file;
    private final String text;
    private final Profile defaultProfile;
    private final List<Entry> byAddress;
    private final Map<String, Profile> byName;
    private final int size;
    /** Where the first named profile starts, 0 when there is none. */
    private final int firstProfileLine;

    private final List<CheckSet> checkSets;
    /** The checks= of each profile line that has one, by profile name. */
    private final Map<String, CheckSet> profileChecks = new LinkedHashMap<>();
    /** The preset= of each profile line that has one, by profile name. */
    private final Map<String, String> presets = new LinkedHashMap<>();

    private Rulebook(String source, Path file, String text, RulesParser.Parsed parsed) {
        List<RulesParser.Section> sections = parsed.sections();
        this.checkSets = parsed.checkSets();
        this.source = source;
        this.file = file;
        this.text = text;
        List<Entry> ranged = new ArrayList<>();
        Map<String, Profile> named = new LinkedHashMap<>();
        int rules = 0;
        for (RulesParser.Section section : sections) {
            Profile profile = new Profile(section.name(), source, section.rules(), section.scope());
            named.put(section.name(), profile);
            if (section.checks() != null) {
                profileChecks.put(section.name(), section.checks());
            }
            if (section.preset() != null) {
                presets.put(section.name(), section.preset());
            }
            if (section.from() != null) {
                ranged.add(new Entry(profile, section.from()));
            }
            rules += profile.size();
        }
        this.defaultProfile = named.get(DEFAULT_PROFILE);
        this.byAddress = List.copyOf(ranged);
        this.byName = Collections.unmodifiableMap(named);
        this.size = rules;
        this.firstProfileLine = sections.size() > 1 ? sections.get(1).line() : 0;
    }

    /** Reads a rules file; rule locations name the file as given here, and a reload reads it again. */
    public static Rulebook load(Path file) throws RulesException, IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Rules read from a file by someone else (a reload), given its text. */
    static Rulebook parse(Path file, String text) throws RulesException {
        return new Rulebook(file.toString(), file, text, RulesParser.parseSections(file.toString(), text));
    }

    /** Parses rules that come from no file (tests, the built-in copy); such rules cannot be reloaded. */
    public static Rulebook parse(String sourceName, String text) throws RulesException {
        return new Rulebook(sourceName, null, text, RulesParser.parseSections(sourceName, text));
    }

    /** The shipped conf/rules, packaged into the jar. A broken copy is a build error, hence unchecked. */
    public static Rulebook builtIn() {
        try (InputStream in = Rulebook.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + BUILT_IN_RESOURCE + " is missing");
            }
            return parse(Profile.BUILT_IN_SOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath resource " + BUILT_IN_RESOURCE, e);
        } catch (RulesException e) {
            throw new IllegalStateException("built-in rules are broken: " + e.getMessage(), e);
        }
    }

    /** A rulebook of one profile, the default profile: how a caller with a plain Profile gets a Rulebook. */
    public static Rulebook of(Profile profile) {
        return new Rulebook(profile.source(), null, null,
                new RulesParser.Parsed(List.of(new RulesParser.Section(DEFAULT_PROFILE, null, 0, profile.rules(), null, profile.scope(), null)),
                        List.of()));
    }

    /** The profile that decides a client's calls; the default profile when no range matches or there is no address. */
    public Profile profileFor(InetAddress client) {
        if (client != null) {
            for (Entry entry : byAddress) {
                if (entry.from().allows(client)) {
                    return entry.profile();
                }
            }
        }
        return defaultProfile;
    }

    /**
     * The profile of this name, for a listener bound to one.
     *
     * @throws IllegalArgumentException naming the file and the profiles it has, when there is none of that name
     */
    public Profile profile(String name) {
        Profile profile = byName.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("no profile named '" + name + "' in " + source
                    + " (it has: " + String.join(", ", byName.keySet()) + ")");
        }
        return profile;
    }

    /** The profile of this name, if there is one. */
    public Optional<Profile> findProfile(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The named sets of body checks the file defines, in file order. */
    public List<CheckSet> checkSets() {
        return checkSets;
    }

    /** All profiles in file order, the default profile first. */
    public List<Profile> profiles() {
        return List.copyOf(byName.values());
    }

    /** The client ranges that select a profile, or null when only its name does (and for the default). */
    public AllowedClients rangesOf(String profileName) {
        for (Entry entry : byAddress) {
            if (entry.profile().name().equals(profileName)) {
                return entry.from();
            }
        }
        return null;
    }

    /** The line that starts a named profile in a rules file: {@code profile NAME [from RANGES]}. */
    public String heading(String profileName) {
        AllowedClients from = rangesOf(profileName);
        if (presets.containsKey(profileName)) {
            return "profile " + profileName + (from == null ? "" : " from " + from) + " preset=" + presets.get(profileName);
        }
        CheckSet checks = profileChecks.get(profileName);
        Scope scope = byName.get(profileName).scope();
        return "profile " + profileName + (from == null ? "" : " from " + from)
                + (checks == null ? "" : " checks=" + checks.name()) + (scope == null ? "" : " " + scope.words());
    }

    /** The preset a profile takes its rules from, or null when they are the file's own. */
    public String presetOf(String profileName) {
        return presets.get(profileName);
    }

    /** The checks= of a profile's line, or null when it has none. */
    CheckSet checksOf(String profileName) {
        return profileChecks.get(profileName);
    }

    /** The default profile alone; fails when the rules have named profiles, which one Profile cannot hold. */
    Profile single() throws RulesException {
        if (firstProfileLine > 0) {
            throw new RulesException(source, firstProfileLine, "profiles are not possible here: these rules"
                    + " must be one list (load the file as a Rulebook)");
        }
        return defaultProfile;
    }

    /** The rules file's name, or "built-in conf/rules". */
    public String source() {
        return source;
    }

    /** The file these rules were read from, or null when they come from no file and cannot be reloaded. */
    public Path file() {
        return file;
    }

    /** The text these rules were parsed from, or null; a reload of the same text changes nothing. */
    String text() {
        return text;
    }

    /** The number of rules in all profiles. */
    public int size() {
        return size;
    }

    /** "15 rules in 1 profile", "6 rules in 4 profiles": for the log and the check command. */
    public String counts() {
        int profiles = byName.size();
        return size + (size == 1 ? " rule" : " rules") + " in " + profiles + (profiles == 1 ? " profile" : " profiles");
    }

    @Override
    public String toString() {
        return source + " (" + counts() + ")";
    }
}
