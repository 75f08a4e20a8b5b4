package dockgate.policy;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles the PATH of a rule, such as {@code /images/{name}/json}, into the regex that canonical
 * request paths are matched against.
 */
final class PathTemplate {

    /**
     * The daemon serves every route bare and under "/v{version}"; the prefix is allowed once, in the
     * only spelling real clients use, so a doubled or odd prefix matches no rule.
     */
    private static final String VERSION_PREFIX = "(?:/v[0-9]+\\.[0-9]+)?";

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    /** Each segment starts with a letter or digit, so '/' alone splits a name: no catastrophic backtracking. */
    private static final String NAME_SEGMENT = "[A-Za-z0-9][A-Za-z0-9_.:@-]*";
    private static final String NAME = NAME_SEGMENT + "(?:/" + NAME_SEGMENT + ")*";

    private static final Map<String, String> PLACEHOLDERS = Map.of("{id}", ID, "{name}", NAME);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*\\}");

    /** Same characters as a canonical path, so a literal can be written exactly as requests carry it. */
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");

    private PathTemplate() {
    }

    static Pattern compile(String template) throws RuleSyntaxException {
        if (!template.startsWith("/")) {
            throw new RuleSyntaxException("path must start with '/': " + template);
        }
        String[] segments = template.substring(1).split("/", -1);
        if (isVersion(segments[0])) {
            throw new RuleSyntaxException("path must not start with a version prefix"
                    + " (every rule already matches with and without /vX.Y): " + template);
        }
        StringBuilder regex = new StringBuilder(VERSION_PREFIX);
        for (String segment : segments) {
            regex.append('/').append(segmentRegex(segment, template));
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * {@code v[0-9]+\.[0-9]+}: a segment the version prefix consists of. A rule's path may not start with one,
     * which {@link RulesByFirstSegment} relies on. By hand, as it is also asked on every call, where a regex
     * cost more than the whole lookup.
     */
    static boolean isVersion(String segment) {
        int dot = segment.indexOf('.');
        return segment.startsWith("v") && digits(segment, 1, dot) && digits(segment, dot + 1, segment.length());
    }

    /** Whether {@code from} to {@code to} is a non-empty run of ASCII digits after the first character. */
    private static boolean digits(String s, int from, int to) {
        if (from <= 0 || from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String segmentRegex(String segment, String template) throws RuleSyntaxException {
        if (segment.isEmpty()) {
            throw new RuleSyntaxException("empty segment in path (\"//\" or trailing '/'): " + template);
        }
        if (PLACEHOLDER.matcher(segment).matches()) {
            String regex = PLACEHOLDERS.get(segment);
            if (regex == null) {
                throw new RuleSyntaxException("unknown placeholder " + segment + " (known: {id} {name})");
            }
            return regex;
        }
        if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
            throw new RuleSyntaxException("a placeholder must be a whole segment: " + segment);
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new RuleSyntaxException("'" + segment + "' segment in path: " + template);
        }
        if (!LITERAL.matcher(segment).matches()) {
            throw new RuleSyntaxException("path segment '" + segment + "' has a character that never appears"
                    + " in a canonical path (allowed: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @)");
        }
        return Pattern.quote(segment);
    }
}
