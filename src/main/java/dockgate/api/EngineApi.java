package dockgate.api;

import dockgate.policy.Decision;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.RouteTable;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of the Docker Engine API, from the table {@code dockgate/engine-api-routes} ({@link RouteTable}):
 * which route a call belongs to, what request body the daemon reads there, and whether it may hijack. One table, so that the
 * screening of bodies, audit mode and the rules tools cannot disagree about what a route is.
 */
public final class EngineApi {

    /** What request body the daemon reads on a route. */
    public enum Body {
        /** None: a body sent there never reaches the daemon. */
        NONE,
        /** A JSON document, read whole before the call goes on. */
        JSON,
        /** An archive or other byte stream, relayed as it arrives. */
        DATA
    }

    /**
     * One route.
     *
     * @param path the path template as a rules file writes it, e.g. {@code /containers/{id}/json}
     * @param body what request body the daemon reads there
     * @param hijack whether the call may switch its connection to a raw stream (attach, exec start)
     * @param document whether a GET's answer is always one JSON document, never a stream (a list, an inspect)
     */
    public record Route(String path, Body body, boolean hijack, boolean document) {
    }

    private static final EngineApi TABLE = load();

    /** The table matched by the rules' own matcher, and each of its lines' route in the same order. */
    private final Profile matcher;
    private final Map<Rule, Route> routes;
    private final List<String> order;

    private EngineApi(Profile matcher, Map<Rule, Route> routes, List<String> order) {
        this.matcher = matcher;
        this.routes = routes;
        this.order = order;
    }

    /** The table shipped in the jar. */
    public static EngineApi routes() {
        return TABLE;
    }

    /**
     * @param method        the method as sent
     * @param canonicalPath the output of {@code CanonicalPath.of}
     * @return the route the call belongs to, or null when it is no route of the API
     */
    public Route route(String method, String canonicalPath) {
        Decision decision = matcher.decide(method, canonicalPath, Query.EMPTY);
        return decision.allowed() ? routes.get(decision.rule()) : null;
    }

    /** The table as rules that allow every route of the API and nothing else, in table order. */
    public Profile asProfile() {
        return matcher;
    }

    /**
     * @param path a path template as the table writes it, e.g. {@code /containers/{id}/json}
     * @return the methods the table gives that path over all its lines, in table order; empty when the
     *         path is no route of the table
     */
    public List<String> methods(String path) {
        List<String> methods = new ArrayList<>();
        for (Rule rule : matcher.rules()) {
            if (rule.path().equals(path)) {
                rule.methods().stream().sorted(Comparator.comparingInt(Rule.METHODS::indexOf)).forEach(methods::add);
            }
        }
        return methods;
    }

    /** Whether the table marks some line of this path template {@code hijack}. */
    public boolean hijacks(String path) {
        return routes.values().stream().anyMatch(route -> route.hijack() && route.path().equals(path));
    }

    /** The route's place in the table (its first line), or -1 for a path that is no route. */
    public int order(String path) {
        return order.indexOf(path);
    }

    private static EngineApi load() {
        try {
            return of(RouteTable.shipped());
        } catch (RulesException e) {
            // A broken table is a build error: the tests read it too.
            throw new IllegalStateException("the Engine API route table is broken: " + e.getMessage(), e);
        }
    }

    /** The table's lines matched by the rules' own matcher, each line a rule at its own line number. */
    static EngineApi of(RouteTable table) throws RulesException {
        StringBuilder rules = new StringBuilder();
        List<RouteTable.Line> lines = table.lines();
        List<String> order = new ArrayList<>();
        int at = 1;
        for (RouteTable.Line line : lines) {
            for (; at < line.number(); at++) {
                rules.append('\n');
            }
            at++;
            rules.append(line.methods()).append(' ').append(line.path()).append('\n');
            if (!order.contains(line.path())) {
                order.add(line.path());
            }
        }
        Profile matcher = Profile.parse("Engine API routes", rules.toString());
        Map<Rule, Route> routes = new HashMap<>();
        for (int i = 0; i < matcher.rules().size(); i++) {
            Rule rule = matcher.rules().get(i);
            RouteTable.Line line = lines.get(i);
            Body body = line.body() == null ? Body.NONE : line.body().equals("json") ? Body.JSON : Body.DATA;
            routes.put(rule, new Route(rule.path(), body, line.hijack(), line.document()));
        }
        return new EngineApi(matcher, Map.copyOf(routes), List.copyOf(order));
    }
}
