package dockgate.policy;

import dockgate.access.AllowedClients;
import dockgate.guard.CheckSet;
import dockgate.scope.Scope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code profile} line: {@code profile NAME [from CIDR[,CIDR...]] [checks=SET] [owner=NAME]
 * [scope=LABEL[,LABEL...]] [scope-kinds=KIND[,KIND...]]}, the words after the ranges in any order; or
 * {@code profile NAME [from CIDR[,CIDR...]] preset=PRESET}, whose rules, checks and scope are the preset's.
 *
 * @param name   the profile's name
 * @param from   the client ranges that select it; null when only its name does
 * @param checks the check set its rules take by default; null for the strict set
 * @param scope  the objects it may see and touch; null for all of them
 * @param preset the preset whose rules it takes, or null
 */
record ProfileLine(String name, AllowedClients from, CheckSet checks, Scope scope, String preset) {

    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    static final String CHECKS = "checks=";
    static final String PRESET = "preset=";
    private static final List<String> WORDS = List.of(CHECKS, "owner=", "scope=", "scope-kinds=", PRESET);

    /** @param tokens the line's words, the first "profile" */
    static ProfileLine parse(String[] tokens, Map<String, CheckSet> checkSets) throws RuleSyntaxException {
        Map<String, String> words = new LinkedHashMap<>();
        int end = tokens.length;
        while (end > 2 && word(tokens[end - 1]) != null) {
            String word = word(tokens[end - 1]);
            if (words.put(word, tokens[end - 1].substring(word.length())) != null) {
                throw new RuleSyntaxException("'" + word + "' written twice on one profile line");
            }
            end--;
        }
        String[] head = Arrays.copyOf(tokens, end);
        String name = name(head);
        for (int i = 3; i < head.length; i++) {
            if (word(head[i]) != null) {
                throw new RuleSyntaxException("'" + head[i] + "' must come after the address ranges");
            }
        }
        String preset = words.remove(PRESET);
        if (preset != null && !words.isEmpty()) {
            throw new RuleSyntaxException("profile " + name + ": preset= brings the preset's own checks and scope;"
                    + " write '" + String.join("', '", words.keySet()) + "' in a profile of your own rules instead");
        }
        CheckSet checks = words.containsKey(CHECKS) ? RulesParser.namedChecks(CHECKS + words.get(CHECKS), checkSets) : null;
        Scope scope;
        try {
            scope = Scope.of(words.get("scope="), words.get("scope-kinds="), words.get("owner="));
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException("profile " + name + ": " + e.getMessage());
        }
        return new ProfileLine(name, ranges(head), checks, scope, preset);
    }

    /** The word a token starts, as "owner=", or null for a token that is none of them. */
    private static String word(String token) {
        for (String word : WORDS) {
            if (token.startsWith(word)) {
                return word;
            }
        }
        return null;
    }

    private static String name(String[] tokens) throws RuleSyntaxException {
        if (tokens.length < 2 || tokens[1].equals("from")) {
            throw new RuleSyntaxException("profile needs a name: profile NAME [from CIDR[,CIDR...]]");
        }
        if (!PROFILE_NAME.matcher(tokens[1]).matches()) {
            throw new RuleSyntaxException("bad profile name '" + tokens[1] + "' (letters, digits, '_', '.', '-';"
                    + " starting with a letter or digit)");
        }
        return tokens[1];
    }

    /** The ranges after "from", or null when the profile is selectable only by name. */
    private static AllowedClients ranges(String[] tokens) throws RuleSyntaxException {
        if (tokens.length == 2) {
            return null;
        }
        if (!tokens[2].equals("from")) {
            throw new RuleSyntaxException("unexpected '" + tokens[2] + "' after profile " + tokens[1]
                    + " (expected: from CIDR[,CIDR...], or checks=, owner=, scope=, scope-kinds=, preset=)");
        }
        if (tokens.length == 3) {
            throw new RuleSyntaxException("'from' needs client address ranges, e.g. from 10.0.0.0/8,192.168.1.7");
        }
        // "from 10.0.0.0/8, 192.168.0.0/16" reads naturally: spaces around the commas do not matter.
        String list = String.join(" ", new ArrayList<>(Arrays.asList(tokens).subList(3, tokens.length)))
                .replaceAll("\\s*,\\s*", ",");
        if (list.indexOf(' ') >= 0) {
            throw new RuleSyntaxException("profile " + tokens[1] + ": separate address ranges with ',' in '" + list + "'");
        }
        try {
            return AllowedClients.parse(list);
        } catch (IllegalArgumentException e) {
            throw new RuleSyntaxException("profile " + tokens[1] + ": " + e.getMessage());
        }
    }
}
