package dockgate.audit;

import dockgate.api.EngineApi;

import java.util.regex.Pattern;

/**
 * Generalises a call to the Docker Engine API route it belongs to: {@code GET /v1.41/containers/3f2a/json}
 * is {@code /containers/{id}/json}. The routes are the Engine API table ({@link EngineApi}), matched by the
 * policy's own matcher, so a route written into a learned rules file matches the calls it was learned from
 * by construction.
 */
final class DockerApiRoutes {

    /** The prefix every rule implies, exactly as the policy reads it: once, in the form clients send. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v[0-9]+\\.[0-9]+(?=/)");

    /**
     * Where a call belongs in a learned rules file.
     *
     * @param path    the rule PATH to write: a route template, or the call's own path without its version
     *                prefix when no route fits
     * @param known   whether {@code path} is a route of the API table
     */
    record Route(String path, boolean known) {
    }

    private DockerApiRoutes() {
    }

    /**
     * @param method        the method as sent
     * @param canonicalPath the output of {@code CanonicalPath.of}
     */
    static Route of(String method, String canonicalPath) {
        EngineApi.Route route = EngineApi.routes().route(method, canonicalPath);
        if (route != null) {
            return new Route(route.path(), true);
        }
        return new Route(VERSION_PREFIX.matcher(canonicalPath).replaceFirst(""), false);
    }

    /** The place of a route in the table: learned rules are written in this order. */
    static int order(String route) {
        int order = EngineApi.routes().order(route);
        return order < 0 ? Integer.MAX_VALUE : order;
    }
}
