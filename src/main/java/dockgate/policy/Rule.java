package dockgate.policy;

import dockgate.guard.CheckSet;
import dockgate.redact.Redaction;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** One line of a rules file: which methods on which path, under which query constraints, may pass. */
public final class Rule {

    /** The methods a rule may name, in the order they are written. */
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** The word that lets a rule's calls switch to a raw stream (attach and exec start only). */
    public static final String HIJACK = "hijack";

    /** What is redacted from inspect answers when a rule says nothing: environment values. */
    public static final Set<String> DEFAULT_REDACTIONS = Set.of(Redaction.ENV);

    private final String source;
    private final int line;
    private final String text;
    private final Set<String> methods;
    private final String path;
    private final Pattern pathPattern;
    private final QueryConstraints queryConstraints;
    private final boolean hijack;
    private final CheckSet checks;
    private final Set<String> redactions;
    private final String location;
    /** Built once: allowing a request is the common case and should not allocate. */
    private final Decision allowed;

    Rule(String source, int line, String text, Set<String> methods, String path, Pattern pathPattern,
            QueryConstraints queryConstraints, boolean hijack, CheckSet checks, Set<String> redactions) {
        this.source = source;
        this.line = line;
        this.text = text;
        this.methods = Set.copyOf(methods);
        this.path = path;
        this.pathPattern = pathPattern;
        this.queryConstraints = queryConstraints;
        this.hijack = hijack;
        this.checks = checks;
        this.redactions = Set.copyOf(redactions);
        this.location = source + ":" + line;
        this.allowed = Decision.allow(this);
    }

    /** The rules file's name, or "built-in conf/rules". */
    public String source() {
        return source;
    }

    /** 1-based line number in {@link #source()}. */
    public int line() {
        return line;
    }

    /** The rule as written, without its trailing comment, for logs. */
    public String text() {
        return text;
    }

    /** "SOURCE:LINE", how decisions and logs point at this rule. */
    public String location() {
        return location;
    }

    public Set<String> methods() {
        return methods;
    }

    /** The path template as written, e.g. "/images/{name}/json". */
    public String path() {
        return path;
    }

    /** The constraints as written, e.g. "repo=~[a-z]+". */
    public List<String> queryConstraints() {
        return queryConstraints.asList().stream().map(QueryConstraint::describe).toList();
    }

    /**
     * Whether a request this rule allows may switch its connection to a raw stream ({@code Upgrade: tcp}),
     * as attach and exec start do: the rule ends with the word {@code hijack}.
     */
    public boolean hijack() {
        return hijack;
    }

    /**
     * The checks the bodies of the calls this rule allows must pass, on the routes whose bodies are checked:
     * its own {@code checks=} set, else its profile's, else {@link CheckSet#STRICT}.
     */
    public CheckSet checks() {
        return checks;
    }

    /**
     * What is redacted from the answers of the inspects this rule allows: environment values unless the
     * rule says {@code reveal=env}, and mount sources when it says {@code redact=mounts}.
     */
    public Set<String> redactions() {
        return redactions;
    }

    /** The method test comes first: it is cheap and rules out most rules without touching the path. */
    boolean matches(String method, String canonicalPath) {
        return methods.contains(method) && pathPattern.matcher(canonicalPath).matches();
    }

    /** The verdict once this rule matched: allowed, unless a query constraint fails. */
    Decision decide(Query query) {
        if (queryConstraints.isEmpty()) {
            return allowed;
        }
        Optional<String> violation = queryConstraints.violation(query);
        if (violation.isEmpty()) {
            return allowed;
        }
        return Decision.denyQuery(this, violation.get());
    }

    @Override
    public String toString() {
        return location + ": " + text;
    }
}
