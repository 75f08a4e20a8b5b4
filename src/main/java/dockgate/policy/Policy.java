package dockgate.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of rules. The first rule whose methods and path match a request decides it; a
 * request no rule matches is denied.
 */
public final class Policy {

    static final String BUILT_IN_RESOURCE = "/dockgate/rules";
    static final String BUILT_IN_SOURCE = "built-in conf/rules";

    private final String source;
    private final List<Rule> rules;

    private Policy(String source, List<Rule> rules) {
        this.source = source;
        this.rules = List.copyOf(rules);
    }

    /** Reads a rules file; rule locations name the file as given here. */
    public static Policy load(Path file) throws RulesException, IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static Policy parse(String sourceName, String text) throws RulesException {
        return new Policy(sourceName, RulesParser.parse(sourceName, text));
    }

    /** The shipped conf/rules, packaged into the jar. A broken copy is a build error, hence unchecked. */
    public static Policy builtIn() {
        try (InputStream in = Policy.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + BUILT_IN_RESOURCE + " is missing");
            }
            return parse(BUILT_IN_SOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath resource " + BUILT_IN_RESOURCE, e);
        } catch (RulesException e) {
            throw new IllegalStateException("built-in rules are broken: " + e.getMessage(), e);
        }
    }

    /**
     * @param method        the request method exactly as sent; matched case-sensitively
     * @param canonicalPath the output of {@link CanonicalPath#of}; other strings are not safe to pass
     * @param rawQuery      the query string as sent, still encoded, or null when there was none
     */
    public Decision decide(String method, String canonicalPath, String rawQuery) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(canonicalPath, "canonicalPath");
        for (Rule rule : rules) {
            if (rule.matches(method, canonicalPath)) {
                // First match decides, even when its constraints fail: one rule to read per verdict.
                return rule.decide(rawQuery);
            }
        }
        return Decision.deny(null, "no rule allows " + method + " " + canonicalPath);
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
