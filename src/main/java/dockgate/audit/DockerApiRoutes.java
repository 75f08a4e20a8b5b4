package dockgate.audit;

import dockgate.policy.Decision;
import dockgate.policy.Policy;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;

import java.util.HashMap;
import java.util.Map;

import java.util.regex.Pattern;

/**
 * Generalises a call to the Docker Engine API route it belongs to: {@code GET /v1.41/containers/3f2a/json}
 * is {@code /containers/{id}/json}. The route table is written in the rules format and matched by the
 * policy's own matcher, so a route written into a learned rules file matches the calls it
 * was learned from by construction.
 */
final class DockerApiRoutes {

    /**
     * The routes of the Docker Engine API 1.41 in the rules format, from the API's reference
     * (docs.docker.com/engine/api/v1.41). A call is written as the PATH of the first line whose METHODS
     * and PATH match it, so fixed words come before placeholders wherever both could match one call.
     * {id} stands for one segment (container, network, volume, exec, service, node, task, secret and
     * config ids and names); {name} for an image or plugin reference, which may hold '/', ':' and '@'.
     */
    static final String TABLE = """
            # System
            GET,HEAD  /_ping
            GET       /version
            GET       /info
            GET       /events
            GET       /system/df
            POST      /auth

            # Containers
            GET       /containers/json
            POST      /containers/create
            POST      /containers/prune
            GET       /containers/{id}/json
            GET       /containers/{id}/top
            GET       /containers/{id}/logs
            GET       /containers/{id}/changes
            GET       /containers/{id}/export
            GET       /containers/{id}/stats
            GET       /containers/{id}/attach/ws
            GET,HEAD,PUT /containers/{id}/archive
            POST      /containers/{id}/resize
            POST      /containers/{id}/start
            POST      /containers/{id}/stop
            POST      /containers/{id}/restart
            POST      /containers/{id}/kill
            POST      /containers/{id}/update
            POST      /containers/{id}/rename
            POST      /containers/{id}/pause
            POST      /containers/{id}/unpause
            POST      /containers/{id}/attach
            POST      /containers/{id}/wait
            POST      /containers/{id}/exec
            DELETE    /containers/{id}

            # Exec
            POST      /exec/{id}/start
            POST      /exec/{id}/resize
            GET       /exec/{id}/json

            # Images, build and commit
            GET       /images/json
            GET       /images/search
            GET       /images/get
            POST      /images/create
            POST      /images/load
            POST      /images/prune
            GET       /images/{name}/json
            GET       /images/{name}/history
            GET       /images/{name}/get
            POST      /images/{name}/push
            POST      /images/{name}/tag
            DELETE    /images/{name}
            POST      /build
            POST      /build/prune
            POST      /build/cancel
            POST      /commit

            # Networks
            GET       /networks
            POST      /networks/create
            POST      /networks/prune
            GET       /networks/{id}
            POST      /networks/{id}/connect
            POST      /networks/{id}/disconnect
            DELETE    /networks/{id}

            # Volumes
            GET       /volumes
            POST      /volumes/create
            POST      /volumes/prune
            GET       /volumes/{id}
            DELETE    /volumes/{id}

            # Swarm
            GET       /swarm
            POST      /swarm/init
            POST      /swarm/join
            POST      /swarm/leave
            POST      /swarm/update
            GET       /swarm/unlockkey
            POST      /swarm/unlock

            # Services
            GET       /services
            POST      /services/create
            GET       /services/{id}
            POST      /services/{id}/update
            GET       /services/{id}/logs
            DELETE    /services/{id}

            # Nodes
            GET       /nodes
            GET       /nodes/{id}
            POST      /nodes/{id}/update
            DELETE    /nodes/{id}

            # Tasks
            GET       /tasks
            GET       /tasks/{id}
            GET       /tasks/{id}/logs

            # Secrets
            GET       /secrets
            POST      /secrets/create
            GET       /secrets/{id}
            POST      /secrets/{id}/update
            DELETE    /secrets/{id}

            # Configs
            GET       /configs
            POST      /configs/create
            GET       /configs/{id}
            POST      /configs/{id}/update
            DELETE    /configs/{id}

            # Plugins
            GET       /plugins
            GET       /plugins/privileges
            POST      /plugins/pull
            POST      /plugins/create
            GET       /plugins/{name}/json
            POST      /plugins/{name}/enable
            POST      /plugins/{name}/disable
            POST      /plugins/{name}/upgrade
            POST      /plugins/{name}/push
            POST      /plugins/{name}/set
            DELETE    /plugins/{name}

            # Distribution and session
            GET       /distribution/{name}/json
            POST      /session
            """;

    /** The prefix every rule implies, exactly as the policy reads it: once, in the form clients send. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v[0-9]+\\.[0-9]+(?=/)");

    private static final Policy ROUTES = load();
    private static final Map<String, Integer> ORDER = order(ROUTES);

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
        Decision decision = ROUTES.decide(method, canonicalPath, null);
        if (decision.allowed()) {
            return new Route(decision.rule().path(), true);
        }
        return new Route(VERSION_PREFIX.matcher(canonicalPath).replaceFirst(""), false);
    }

    /** The place of a route in the table: learned rules are written in this order. */
    static int order(String route) {
        return ORDER.getOrDefault(route, Integer.MAX_VALUE);
    }

    private static Map<String, Integer> order(Policy routes) {
        Map<String, Integer> order = new HashMap<>();
        for (Rule rule : routes.rules()) {
            order.putIfAbsent(rule.path(), order.size());
        }
        return order;
    }

    private static Policy load() {
        try {
            return Policy.parse("Docker API routes", TABLE);
        } catch (RulesException e) {
            throw new IllegalStateException("the Docker API route table is broken: " + e.getMessage(), e);
        }
    }
}
