package dockgate.policy;

import dockgate.scope.Scope;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One profile: an ordered list of rules. The first rule whose methods and path match a request decides
 * it; a request no rule matches is denied. A rules file without profile lines is exactly one Profile,
 * named "default"; a file with profiles is a {@link Rulebook}.
 */
public final class Profile {

    static final String BUILT_IN_SOURCE = "built-in conf/rules";
    /**
     * Why a profile should allow {@code /_ping}: the docker CLI agrees on the API version there first, and
     * when refused fails with "client version ... is too new", which never names dockgate.
     */
    public static final String PING_HINT = "docker clients call /_ping first; allow GET,HEAD /_ping";

    private final String name;
    private final String source;
    private final List<Rule> rules;
    private final RulesByFirstSegment candidates;
    /** What the profile may see and touch; null for everything. */
    private final Scope scope;

    Profile(String name, String source, List<Rule> rules, Scope scope) {
        this.name = name;
        this.source = source;
        this.rules = List.copyOf(rules);
        this.candidates = new RulesByFirstSegment(this.rules);
        this.scope = scope;
    }

    /** Reads a rules file without profiles; rule locations name the file as given here. */
    public static Profile load(Path file) throws RulesException, IOException {
        return Rulebook.load(file).single();
    }

    /** Parses rules without profiles; a file with profile lines needs {@link Rulebook#parse}. */
    public static Profile parse(String sourceName, String text) throws RulesException {
        return Rulebook.parse(sourceName, text).single();
    }

    /** The shipped conf/rules, packaged into the jar. A broken copy is a build error, hence unchecked. */
    public static Profile builtIn() {
        return Rulebook.builtIn().profile(Rulebook.DEFAULT_PROFILE);
    }

    /**
     * @param method        the request method exactly as sent; matched case-sensitively
     * @param canonicalPath the output of {@link CanonicalPath#of}; other strings are not safe to pass
     * @param query         the request's parsed query ({@link Query#EMPTY} when there was none)
     */
    public Decision decide(String method, String canonicalPath, Query query) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(canonicalPath, "canonicalPath");
        Objects.requireNonNull(query, "query");
        Rule rule = firstMatch(method, canonicalPath);
        // First match decides, even when its constraints fail: one rule to read per verdict.
        return rule != null ? rule.decide(query) : Decision.deny(null, "no rule allows " + method + " " + canonicalPath);
    }

    /**
     * As {@link #decide(String, String, Query)} for a query still encoded (null when there was none), for
     * tools that start from text. A query that cannot be read one way is denied, with the reason.
     */
    public Decision decide(String method, String canonicalPath, String rawQuery) {
        try {
            return decide(method, canonicalPath, Query.parse(rawQuery));
        } catch (UnreadableQueryException e) {
            Rule rule = firstMatch(method, canonicalPath);
            return rule != null ? Decision.denyQuery(rule, e.getMessage())
                    : Decision.deny(null, e.getMessage());
        }
    }

    /** Whether a docker client's first call, {@code GET /_ping}, is allowed. */
    public boolean allowsPing() {
        return decide("GET", "/_ping", Query.EMPTY).allowed();
    }

    /** The rule whose methods and path match the call, the first in file order; null when none does. */
    private Rule firstMatch(String method, String canonicalPath) {
        for (Rule rule : candidates.candidates(canonicalPath)) {
            if (rule.matches(method, canonicalPath)) {
                return rule;
            }
        }
        return null;
    }

    /** The profile's name: "default" for the rules before the first profile line, or a file without profiles. */
    public String name() {
        return name;
    }

    /** The objects the profile may see and touch, or null when it is not scoped. */
    public Scope scope() {
        return scope;
    }

    /** The number of rules. */
    public int size() {
        return rules.size();
    }

    /** The rules file's name, or "built-in conf/rules". */
    public String source() {
        return source;
    }

    public List<Rule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        return source + " (" + rules.size() + " rules)";
    }
}
