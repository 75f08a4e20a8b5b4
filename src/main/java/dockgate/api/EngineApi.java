package dockgate.api;

import dockgate.policy.Decision;
import dockgate.policy.Profile;
import dockgate.policy.Query;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The routes of the Docker Engine API, read from the table {@code dockgate/engine-api-routes} in the jar:
 * which route a call belongs to, and what request body the daemon reads there. One table, so that the
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
     */
    public record Route(String path, Body body) {
    }

    private static final String RESOURCE = "/dockgate/engine-api-routes";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

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
    public Profile asPolicy() {
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

    /** The route's place in the table (its first line), or -1 for a path that is no route. */
    public int order(String path) {
        return order.indexOf(path);
    }

    private static EngineApi load() {
        String text;
        try (InputStream in = EngineApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return parse(text);
        } catch (RulesException e) {
            // A broken table is a build error: the tests read it too.
            throw new IllegalStateException("the Engine API route table is broken: " + e.getMessage(), e);
        }
    }

    /** Reads the table's text: each line is a rule's METHODS and PATH, then an optional body word. */
    static EngineApi parse(String text) throws RulesException {
        StringBuilder rules = new StringBuilder();
        List<Body> bodies = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                rules.append('\n');
                continue;
            }
            String[] words = WHITESPACE.split(content);
            if (words.length < 2 || words.length > 3) {
                throw new IllegalStateException("engine-api-routes: not METHODS PATH [json|data]: " + content);
            }
            Body body = words.length == 2 ? Body.NONE : switch (words[2]) {
                case "json" -> Body.JSON;
                case "data" -> Body.DATA;
                default -> throw new IllegalStateException("engine-api-routes: unknown body kind " + words[2]);
            };
            rules.append(words[0]).append(' ').append(words[1]).append('\n');
            bodies.add(body);
            if (!order.contains(words[1])) {
                order.add(words[1]);
            }
        }
        Profile matcher = Profile.parse("Engine API routes", rules.toString());
        Map<Rule, Route> routes = new HashMap<>();
        for (int i = 0; i < matcher.rules().size(); i++) {
            Rule rule = matcher.rules().get(i);
            routes.put(rule, new Route(rule.path(), bodies.get(i)));
        }
        return new EngineApi(matcher, Map.copyOf(routes), List.copyOf(order));
    }
}
