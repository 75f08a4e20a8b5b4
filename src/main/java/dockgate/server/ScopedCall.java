package dockgate.server;

import dockgate.policy.Query;
import dockgate.scope.Scope;
import dockgate.scope.ScopedRoutes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call of a scoped profile being judged: what it asks for, split as a scope needs it.
 *
 * @param scope    the profile's scope
 * @param profile  the profile's name
 * @param path     the canonical path, with any version prefix
 * @param query    the parsed query
 * @param template the call's route, as the route table writes it; null for a path that is no route
 * @param version  the version prefix ("/v1.41"), or ""
 * @param bare     the path after it
 */
record ScopedCall(Scope scope, String profile, String path, Query query, String template, String version, String bare) {

    private static final Pattern VERSION = Pattern.compile("^(/v[0-9]+\\.[0-9]+)(/.*)$");

    static ScopedCall of(Scope scope, String profile, String path, Query query, String template) {
        Matcher versioned = VERSION.matcher(path);
        return versioned.matches()
                ? new ScopedCall(scope, profile, path, query, template, versioned.group(1), versioned.group(2))
                : new ScopedCall(scope, profile, path, query, template, "", path);
    }

    /** The call sent on as it is. */
    ScopeGate.Verdict pass() {
        return new ScopeGate.Verdict(path, query, null);
    }

    /** The call sent on with the object its path names replaced by this id. */
    ScopeGate.Verdict byId(String id) {
        return new ScopeGate.Verdict(version + bare.substring(0, template.indexOf('{')) + id
                + template.substring(template.indexOf('}') + 1), query, null);
    }

    /** The object the path names. */
    String object() {
        return ScopedRoutes.object(bare, template);
    }

    /** For messages: "the scope of profile alpha (dockgate.owner=alpha)". */
    String where() {
        return "the scope of profile " + profile + " (" + scope.describe() + ")";
    }
}
