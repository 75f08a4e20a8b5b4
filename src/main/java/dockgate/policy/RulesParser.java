package dockgate.policy;

import dockgate.access.AllowedClients;
import dockgate.guard.CheckSet;
import dockgate.guard.CheckSetBuilder;
import dockgate.guard.Inspection;
import dockgate.redact.Redaction;
import dockgate.scope.Scope;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the text of a rules file into rules. The syntax is described at the top of conf/rules.
 * Any malformed line fails the whole file: a gateway that silently skipped a rule would enforce a
 * policy nobody wrote.
 */
final class RulesParser {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The word that lets a rule's calls switch to a raw stream, on the routes the route table marks with it. */
    private static final String HIJACK = Rule.HIJACK;

    private static final Pattern CONSTRAINT = Pattern.compile("([A-Za-z0-9_.-]+)=~(.*)");

    private RulesParser() {
    }

    /**
     * One profile section as written: its name, the client ranges after {@code from} (null for the
     * default section and for a profile selectable only by name), the line it starts on (0 for the
     * default section), its rules in file order, the checks its rules take by default (null: the strict set),
     * what it may see (null: everything), and the preset its rules come from (null: the file's own).
     */
    record Section(String name, AllowedClients from, int line, List<Rule> rules, CheckSet checks, Scope scope,
                   String preset) {
    }

    /** What a whole file holds: its profile sections, the first the default one, and its named check sets. */
    record Parsed(List<Section> sections, List<CheckSet> checkSets) {
    }

    private static final String CHECKS = "checks";
    private static final String CHECKS_PREFIX = "checks=";
    private static final String REVEAL = "reveal=";
    private static final String REDACT = "redact=";

    /**
     * Parses a whole rules file into its sections; the first is always the default section. Every line
     * is checked, so one exception reports the first error and carries the others as suppressed ones.
     */
    static Parsed parseSections(String source, String text) throws RulesException {
        List<Section> sections = new ArrayList<>();
        String name = Rulebook.DEFAULT_PROFILE;
        AllowedClients from = null;
        CheckSet profileChecks = null;
        Scope scope = null;
        String preset = null;
        int startLine = 0;
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Map<String, CheckSet> checkSets = new LinkedHashMap<>();
        CheckSetBuilder building = null;
        List<RulesException> errors = new ArrayList<>();
        Iterator<String> lines = text.lines().iterator();
        for (int number = 1; lines.hasNext(); number++) {
            String raw = lines.next();
            String content = withoutComment(raw).strip();
            if (content.isEmpty()) {
                continue;
            }
            try {
                String[] tokens = WHITESPACE.split(content);
                boolean checkLine = Character.isWhitespace(raw.charAt(0))
                        && CheckSetBuilder.DIRECTIVES.contains(tokens[0]);
                if (checkLine) {
                    if (building == null) {
                        throw new RuleSyntaxException("'" + tokens[0] + "' belongs in a checks section (an indented"
                                + " line after 'checks NAME')");
                    }
                    building.line(List.of(tokens));
                    continue;
                }
                if (building != null) {
                    CheckSet built = building.build();
                    checkSets.put(built.name(), built);
                    building = null;
                }
                if (tokens[0].equals(CHECKS)) {
                    building = checkSetStart(tokens, source, number, checkSets);
                    continue;
                }
                if (!tokens[0].equals("profile")) {
                    if (preset != null) {
                        throw new RuleSyntaxException("profile " + name + " takes its rules from preset " + preset
                                + "; write no rules under it (to change them, copy the output of"
                                + " 'dockgate --preset " + preset + " --print-rules' into a profile of your own)");
                    }
                    rules.add(parseRule(source, number, content, checkSets, profileChecks, scope));
                    continue;
                }
                ProfileLine line = ProfileLine.parse(tokens, checkSets);
                String newName = line.name();
                AllowedClients newFrom = line.from();
                CheckSet newChecks = line.checks();
                if (newName.equals(Rulebook.DEFAULT_PROFILE)) {
                    // Naming the default section is allowed only as the very first thing in the file.
                    if (newFrom != null) {
                        throw new RuleSyntaxException("the default profile is for every client no other profile"
                                + " matches; it takes no 'from'");
                    }
                    if (line.preset() != null) {
                        throw new RuleSyntaxException("the default profile takes no preset= (serve a preset alone"
                                + " with --preset, or give it a profile with 'from' ranges)");
                    }
                    if (!names.isEmpty() || !rules.isEmpty() || !sections.isEmpty()) {
                        throw new RuleSyntaxException("profile name 'default' used twice (the rules before the"
                                + " first profile line are the default profile)");
                    }
                    profileChecks = newChecks;
                    scope = line.scope();
                    continue;
                }
                if (!names.add(newName)) {
                    throw new RuleSyntaxException("profile name '" + newName + "' used twice");
                }
                sections.add(new Section(name, from, startLine, rules, profileChecks, scope, preset));
                name = newName;
                from = newFrom;
                profileChecks = newChecks;
                scope = line.scope();
                preset = line.preset();
                startLine = number;
                rules = new ArrayList<>();
                if (preset != null) {
                    // The preset's rules were built with its own check sets, which the file's names never reach.
                    Rulebook taken = Presets.load(preset);
                    Profile only = taken.profile(Rulebook.DEFAULT_PROFILE);
                    rules.addAll(only.rules());
                    profileChecks = taken.checksOf(Rulebook.DEFAULT_PROFILE);
                    scope = only.scope();
                }
            } catch (RuleSyntaxException e) {
                errors.add(new RulesException(source, number, e.getMessage()));
            } catch (IllegalArgumentException e) {
                errors.add(new RulesException(source, number, e.getMessage()));
            }
        }
        if (building != null) {
            CheckSet built = building.build();
            checkSets.put(built.name(), built);
        }
        sections.add(new Section(name, from, startLine, rules, profileChecks, scope, preset));
        if (!errors.isEmpty()) {
            RulesException first = errors.get(0);
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
        return new Parsed(sections, List.copyOf(checkSets.values()));
    }

    /** {@code checks NAME}: the start of a named set of body checks; its lines follow, indented. */
    private static CheckSetBuilder checkSetStart(String[] tokens, String source, int number,
                                                 Map<String, CheckSet> checkSets) throws RuleSyntaxException {
        if (tokens.length != 2) {
            throw new RuleSyntaxException("expected 'checks NAME', then its check lines indented below it");
        }
        if (checkSets.containsKey(tokens[1]) || tokens[1].equals(CheckSet.STRICT.name())) {
            throw new RuleSyntaxException("checks name '" + tokens[1] + "' used twice"
                    + (tokens[1].equals(CheckSet.STRICT.name()) ? " ('strict' is the built-in set)" : ""));
        }
        return new CheckSetBuilder(tokens[1], source + ":" + number);
    }

    /** The set a {@code checks=NAME} word names, which must be defined above it. */
    static CheckSet namedChecks(String token, Map<String, CheckSet> checkSets) throws RuleSyntaxException {
        String wanted = token.substring(CHECKS_PREFIX.length());
        if (wanted.equals(CheckSet.STRICT.name())) {
            return CheckSet.STRICT;
        }
        CheckSet set = checkSets.get(wanted);
        if (set == null) {
            throw new RuleSyntaxException("no checks named '" + wanted + "' above this line"
                    + (checkSets.isEmpty() ? "" : " (defined: " + String.join(", ", checkSets.keySet()) + ")"));
        }
        return set;
    }

    /** A '#' starts a comment at the start of a line or after whitespace, so a regex may still contain '#'. */
    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Rule parseRule(String source, int number, String content, Map<String, CheckSet> checkSets,
                                  CheckSet profileChecks, Scope scope) throws RuleSyntaxException {
        String[] tokens = WHITESPACE.split(content);
        if (tokens[0].startsWith("/")) {
            throw new RuleSyntaxException("missing methods before path " + tokens[0]);
        }
        Set<String> methods = parseMethods(tokens[0]);
        if (tokens.length < 2) {
            throw new RuleSyntaxException("missing path after " + tokens[0]);
        }
        String path = tokens[1];
        Pattern pathPattern = PathTemplate.compile(path);
        List<QueryConstraint> constraints = new ArrayList<>();
        boolean hijack = false;
        CheckSet checks = null;
        Set<String> redactions = new LinkedHashSet<>(Rule.DEFAULT_REDACTIONS);
        for (int i = 2; i < tokens.length; i++) {
            if (tokens[i].startsWith(REVEAL) || tokens[i].startsWith(REDACT)) {
                boolean reveal = tokens[i].startsWith(REVEAL);
                String what = tokens[i].substring((reveal ? REVEAL : REDACT).length());
                if (!Redaction.NAMES.contains(what)) {
                    throw new RuleSyntaxException("unknown '" + tokens[i] + "' (expected reveal=env or redact=mounts)");
                }
                if (!methods.contains("GET")) {
                    throw new RuleSyntaxException("'" + tokens[i] + "' applies to the answers of GET, not to "
                            + String.join(",", methods));
                }
                if (reveal) {
                    redactions.remove(what);
                } else {
                    redactions.add(what);
                }
                continue;
            }
            if (tokens[i].startsWith(CHECKS_PREFIX)) {
                if (checks != null) {
                    throw new RuleSyntaxException("'checks=' written twice");
                }
                if (!Inspection.inspects(path) || !methods.equals(Set.of("POST"))) {
                    throw new RuleSyntaxException("checks= applies to the routes whose bodies are checked ("
                            + String.join(", ", Inspection.routes()) + "), not to " + String.join(",", methods)
                            + " " + path);
                }
                checks = namedChecks(tokens[i], checkSets);
                continue;
            }
            if (tokens[i].equals(HIJACK)) {
                if (hijack) {
                    throw new RuleSyntaxException("'" + HIJACK + "' written twice");
                }
                if (!methods.stream().allMatch(method -> RouteTable.shipped().hijacks(method, path))) {
                    throw new RuleSyntaxException("'" + HIJACK + "' is only allowed on "
                            + String.join(" and ", RouteTable.shipped().hijackRoutes()) + ", not on "
                            + String.join(",", methods) + " " + path);
                }
                hijack = true;
                continue;
            }
            QueryConstraint constraint = parseConstraint(tokens[i]);
            for (QueryConstraint earlier : constraints) {
                if (earlier.name().equals(constraint.name())) {
                    throw new RuleSyntaxException("query parameter '" + constraint.name() + "' constrained twice");
                }
            }
            constraints.add(constraint);
        }
        QueryConstraints queryConstraints = constraints.isEmpty()
                ? QueryConstraints.NONE
                : new QueryConstraints(constraints);
        // Without a set of its own, a rule takes its profile's, and without that the strictest: a write
        // route is never allowed unchecked.
        CheckSet bodyChecks = checks != null ? checks : profileChecks != null ? profileChecks : CheckSet.STRICT;
        if (scope != null && scope.owner() != null) {
            // An owner's label goes on everything its profile creates, whichever set checks the body.
            bodyChecks = bodyChecks.withStamp(scope.owner().key(), scope.owner().value());
        }
        return new Rule(source, number, content, methods, path, pathPattern, queryConstraints, hijack, bodyChecks,
                redactions);
    }

    private static Set<String> parseMethods(String token) throws RuleSyntaxException {
        Set<String> methods = new LinkedHashSet<>();
        for (String method : token.split(",", -1)) {
            if (method.isEmpty()) {
                throw new RuleSyntaxException("empty method in '" + token + "' (write GET,HEAD without spaces)");
            }
            if (!Rule.METHODS.contains(method)) {
                throw new RuleSyntaxException("unknown method '" + method
                        + "' (expected upper case " + String.join(" ", Rule.METHODS) + ")");
            }
            if (!methods.add(method)) {
                throw new RuleSyntaxException("method " + method + " listed twice");
            }
        }
        return methods;
    }

    private static QueryConstraint parseConstraint(String token) throws RuleSyntaxException {
        Matcher matcher = CONSTRAINT.matcher(token);
        if (!matcher.matches()) {
            throw new RuleSyntaxException("unexpected '" + token + "' after the path"
                    + " (expected a query constraint NAME=~REGEX, or a comment after whitespace and '#')");
        }
        String name = matcher.group(1);
        try {
            return new QueryConstraint(name, Pattern.compile(matcher.group(2)));
        } catch (PatternSyntaxException e) {
            throw new RuleSyntaxException("bad regex for query parameter '" + name + "': "
                    + e.getDescription() + " near index " + e.getIndex() + " of " + matcher.group(2));
        }
    }
}
