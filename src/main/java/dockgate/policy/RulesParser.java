package dockgate.policy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
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

    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** The word that lets a rule's calls switch to a raw stream, and the only routes that may carry it. */
    static final String HIJACK = "hijack";
    private static final Set<String> HIJACK_PATHS = Set.of("/containers/{id}/attach", "/exec/{id}/start");

    private static final Pattern CONSTRAINT = Pattern.compile("([A-Za-z0-9_.-]+)=~(.*)");

    private RulesParser() {
    }

    static List<Rule> parse(String source, String text) throws RulesException {
        List<Rule> rules = new ArrayList<>();
        Iterator<String> lines = text.lines().iterator();
        for (int number = 1; lines.hasNext(); number++) {
            String content = withoutComment(lines.next()).strip();
            if (content.isEmpty()) {
                continue;
            }
            try {
                rules.add(parseRule(source, number, content));
            } catch (RuleSyntaxException e) {
                throw new RulesException(source, number, e.getMessage());
            }
        }
        return rules;
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

    private static Rule parseRule(String source, int number, String content) throws RuleSyntaxException {
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
        for (int i = 2; i < tokens.length; i++) {
            if (tokens[i].equals(HIJACK)) {
                if (hijack) {
                    throw new RuleSyntaxException("'" + HIJACK + "' written twice");
                }
                if (!methods.equals(Set.of("POST")) || !HIJACK_PATHS.contains(path)) {
                    throw new RuleSyntaxException("'" + HIJACK + "' is only allowed on POST /containers/{id}/attach"
                            + " and POST /exec/{id}/start, not on " + String.join(",", methods) + " " + path);
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
        return new Rule(source, number, content, methods, path, pathPattern, queryConstraints, hijack);
    }

    private static Set<String> parseMethods(String token) throws RuleSyntaxException {
        Set<String> methods = new LinkedHashSet<>();
        for (String method : token.split(",", -1)) {
            if (method.isEmpty()) {
                throw new RuleSyntaxException("empty method in '" + token + "' (write GET,HEAD without spaces)");
            }
            if (!KNOWN_METHODS.contains(method)) {
                throw new RuleSyntaxException("unknown method '" + method
                        + "' (expected upper case GET HEAD POST PUT DELETE PATCH OPTIONS)");
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
