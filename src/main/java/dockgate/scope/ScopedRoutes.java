package dockgate.scope;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each route of the Engine API becomes for a scoped profile. Every route is named here or refused:
 * a route added to the API later is refused within a scope until someone decides how a scope holds it.
 */
public final class ScopedRoutes {

    /** How a scope holds one call. */
    public enum Way {
        /** Touches no object a scope holds (ping, version, plugins): goes as it is. */
        FREE,
        /** A list of one kind: the scope's labels join its {@code filters}, when the scope holds the kind. */
        LIST,
        /** Events, and prunes: the labels join its {@code filters} whatever kinds the scope holds. */
        FILTERED,
        /** A call on one object, named in the path: looked up first, and sent on by its id. */
        OBJECT,
        /** A call on one exec instance: allowed when the scope holds its container. */
        EXEC,
        /** Tags an image: its target may not be a tag another owner's image holds. */
        TAG,
        /** Pulls or imports an image into a tag: the same, for the tag it writes. */
        PULL,
        /** Removes an image or one of its tags: only an owner's own. */
        IMAGE_REMOVE,
        /** Acts on objects it does not name (system df, commit, build, load): refused within a scope. */
        REFUSED
    }

    /**
     * @param way  how the scope holds the call
     * @param kind the kind of object listed or named; null for the ways that have none
     */
    public record Treatment(Way way, Kind kind) {

        /** What becomes of the call, in a sentence, for {@code dockgate explain}. */
        public String explain(Scope scope) {
            String labels = scope.describe();
            return switch (way) {
                case FREE -> "touches no object the scope holds; sent as judged";
                case LIST, FILTERED -> "the daemon is sent the filters with label " + labels + " added, and lists only what carries it";
                case OBJECT -> "the daemon is asked for the " + kind.word() + " first, for this very call; outside the"
                        + " scope (" + labels + ") it is answered 404 as missing, within it the call is sent by its id";
                case EXEC -> "the daemon is asked for the exec instance and its container first; a container outside"
                        + " the scope (" + labels + ") makes the exec missing (404)";
                case TAG -> "the daemon is asked for the target tag first: a tag held by an image without " + labels
                        + " is refused (403)";
                case PULL -> "the daemon is asked for the tag pulled into first: one held by another owner's image is refused (403)";
                case IMAGE_REMOVE -> "the daemon is asked for the image first: one without " + labels + " is refused (403)";
                case REFUSED -> "refused (403): the call reaches objects it does not name, which no scope can hold";
            };
        }
    }

    private static final Treatment FREE = new Treatment(Way.FREE, null);
    private static final Treatment REFUSED = new Treatment(Way.REFUSED, null);

    private static final Map<String, Kind> LISTS = Map.of(
            "/containers/json", Kind.CONTAINERS, "/images/json", Kind.IMAGES, "/networks", Kind.NETWORKS,
            "/volumes", Kind.VOLUMES, "/services", Kind.SERVICES, "/tasks", Kind.TASKS, "/nodes", Kind.NODES,
            "/secrets", Kind.SECRETS, "/configs", Kind.CONFIGS);
    private static final Set<String> FILTERED = Set.of("/events", "/containers/prune", "/images/prune",
            "/networks/prune", "/volumes/prune");
    /** The templates whose one placeholder names an object of a kind, in the order they are tried. */
    private static final List<Map.Entry<String, Kind>> OBJECTS = List.of(
            Map.entry("/containers/{id}", Kind.CONTAINERS), Map.entry("/images/{name}", Kind.IMAGES),
            Map.entry("/networks/{id}", Kind.NETWORKS), Map.entry("/volumes/{id}", Kind.VOLUMES),
            Map.entry("/services/{id}", Kind.SERVICES), Map.entry("/tasks/{id}", Kind.TASKS),
            Map.entry("/nodes/{id}", Kind.NODES), Map.entry("/secrets/{id}", Kind.SECRETS),
            Map.entry("/configs/{id}", Kind.CONFIGS));
    /**
     * Routes that reach no object of a kind a scope holds. Creates are here: what they make is held by the
     * labels the profile's checks require or stamp, and an owner's stamp.
     */
    private static final Set<String> FREE_ROUTES = Set.of("/_ping", "/version", "/info", "/auth",
            "/images/search", "/distribution/{name}/json", "/containers/create", "/networks/create",
            "/volumes/create", "/services/create", "/secrets/create", "/configs/create", "/swarm", "/swarm/init",
            "/swarm/join", "/swarm/leave", "/swarm/update", "/swarm/unlockkey", "/swarm/unlock", "/plugins",
            "/plugins/privileges", "/plugins/pull", "/plugins/create", "/plugins/{name}/json",
            "/plugins/{name}/enable", "/plugins/{name}/disable", "/plugins/{name}/upgrade", "/plugins/{name}/push",
            "/plugins/{name}/set", "/plugins/{name}", "/session", "/grpc", "/build/cancel");

    private ScopedRoutes() {
    }

    /**
     * @param method   the call's method
     * @param template the route's path template from the route table, or null for a path that is no route
     */
    public static Treatment of(String method, String template, Scope scope) {
        if (template == null || FREE_ROUTES.contains(template)) {
            return FREE;
        }
        Kind listed = LISTS.get(template);
        if (listed != null) {
            return scope.holds(listed) ? new Treatment(Way.LIST, listed) : FREE;
        }
        if (FILTERED.contains(template)) {
            return new Treatment(Way.FILTERED, null);
        }
        if (template.startsWith("/exec/{id}")) {
            return scope.holds(Kind.CONTAINERS) ? new Treatment(Way.EXEC, Kind.CONTAINERS) : FREE;
        }
        if (template.equals("/images/get")) {
            return scope.holds(Kind.IMAGES) ? REFUSED : FREE;
        }
        if (template.equals("/images/create")) {
            return scope.owner() != null ? new Treatment(Way.PULL, Kind.IMAGES) : FREE;
        }
        for (Map.Entry<String, Kind> object : OBJECTS) {
            if (template.startsWith(object.getKey())) {
                return objectCall(method, template, object.getValue(), scope);
            }
        }
        return REFUSED;
    }

    private static Treatment objectCall(String method, String template, Kind kind, Scope scope) {
        if (kind == Kind.IMAGES && scope.owner() != null) {
            // An owner runs shared images; what it may not do is take a tag or an image from another owner.
            if (template.equals("/images/{name}/tag")) {
                return new Treatment(Way.TAG, kind);
            }
            if (method.equals("DELETE")) {
                return new Treatment(Way.IMAGE_REMOVE, kind);
            }
        }
        return scope.holds(kind) ? new Treatment(Way.OBJECT, kind) : FREE;
    }

    /**
     * The object a call names: its path less the template's text before and after the placeholder.
     *
     * @param path     the canonical path, without any version prefix
     * @param template its route's template, holding one placeholder
     */
    public static String object(String path, String template) {
        int open = template.indexOf('{');
        int close = template.indexOf('}', open);
        String suffix = template.substring(close + 1);
        return path.substring(open, path.length() - suffix.length());
    }
}
