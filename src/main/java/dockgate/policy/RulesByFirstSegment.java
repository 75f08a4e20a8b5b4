package dockgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile's rules grouped by the first segment of their path, so that a call is matched only against
 * the rules that can match it, in file order. The route table alone has some 150 lines: trying each one's
 * regex in turn was a third of what a forwarded call allocated.
 *
 * <p>A rule whose path starts with a literal segment can match only a path whose first segment is that
 * literal, or whose second is when the first is a version prefix ({@code /v1.41}). A rule whose path starts
 * with a placeholder can match any path, so it is in every group. No literal is a version (a rule's path
 * may not start with one), so after a version prefix only the second segment picks the group.
 */
final class RulesByFirstSegment {

    /** For each literal first segment: the rules that start with it or with a placeholder, in file order. */
    private final Map<String, List<Rule>> byLiteral;
    /** The rules that start with a placeholder, in file order: the candidates for any other path. */
    private final List<Rule> anyPath;

    RulesByFirstSegment(List<Rule> rules) {
        Map<String, List<Rule>> groups = new HashMap<>();
        List<Rule> placeholders = new ArrayList<>();
        for (Rule rule : rules) {
            String literal = literalFirstSegment(rule.path());
            if (literal == null) {
                placeholders.add(rule);
                groups.values().forEach(group -> group.add(rule));
            } else {
                groups.computeIfAbsent(literal, k -> new ArrayList<>(placeholders)).add(rule);
            }
        }
        groups.replaceAll((literal, group) -> List.copyOf(group));
        this.byLiteral = Map.copyOf(groups);
        this.anyPath = List.copyOf(placeholders);
    }

    /** The rules that may match this canonical path, in file order; every other rule cannot. */
    List<Rule> candidates(String canonicalPath) {
        String first = segment(canonicalPath, 0);
        if (first == null) {
            return anyPath;
        }
        String key = first;
        if (PathTemplate.isVersion(first)) {
            key = segment(canonicalPath, first.length() + 1);
            if (key == null) {
                return anyPath;
            }
        }
        return byLiteral.getOrDefault(key, anyPath);
    }

    /** The segment that starts after the '/' at {@code slash}, or null when there is none. */
    private static String segment(String path, int slash) {
        if (slash >= path.length() || path.charAt(slash) != '/') {
            return null;
        }
        int end = path.indexOf('/', slash + 1);
        return path.substring(slash + 1, end < 0 ? path.length() : end);
    }

    /** The template's first segment when it is a literal; null when it is a placeholder. */
    private static String literalFirstSegment(String template) {
        String first = segment(template, 0);
        return first == null || first.startsWith("{") ? null : first;
    }
}
