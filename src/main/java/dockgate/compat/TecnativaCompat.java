package dockgate.compat;

import dockgate.api.EngineApi;
import dockgate.policy.CompatException;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.RulesException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Rules built from the environment variables of the HAProxy-based Tecnativa docker-socket-proxy, so that a
 * deployment configured for it can switch to dockgate unchanged ({@code --compat tecnativa}).
 *
 * <p>That proxy's model, as its haproxy.cfg states it: GET and HEAD pass for every enabled section; a write
 * method passes only when its method variable (POST, DELETE, PUT, PATCH) is 1 as well; ALLOW_START, ALLOW_STOP,
 * ALLOW_RESTARTS, ALLOW_PAUSE and ALLOW_UNPAUSE open their container action even with CONTAINERS=0 (but not
 * past the method gate); ALLOW_EXEC, ALLOW_KILL, ALLOW_ATTACH, ALLOW_ARCHIVE, ALLOW_EXPORT and ALLOW_LOGS must
 * be 1 before their container route opens at all. Where exec start or attach is open, its rule is marked
 * {@code hijack}: HAProxy passes the upgrade to the daemon, so {@code docker exec} and {@code docker attach}
 * work through that proxy and must work here too. Where that proxy matches a section as a path prefix,
 * the rules here list the Engine API routes of that section with their real methods, so dockgate's exact
 * matching and canonical paths still apply.
 *
 * <p>The result is ordinary rules text, parsed like a rules file, so an operator can read what is enforced
 * ({@code --print-rules}). The variables themselves are read by {@link TecnativaVariables}.
 */
public final class TecnativaCompat {

    /** The source name rule locations carry, e.g. "tecnativa-compat:12". */
    public static final String SOURCE = "tecnativa-compat";

    /** The same as the shipped conf/rules (TecnativaCompatTest compares them): a well-formed repository and tag, each given once. */
    static final String TAG_CONSTRAINTS = "repo=~(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?::[0-9]+)?/)?"
            + "[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
            + "   tag=~(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?";

    /**
     * The Engine API routes of each section. Columns: section, path, then optional words: {@code or=VAR}
     * another variable that opens the route without its section, {@code needs=VAR} a variable that must
     * also be 1, {@code tag-constraints} the shipped rules' repo and tag constraints apply, {@code plus=METHOD}
     * a method that proxy passes beyond the route's methods in the Engine API table. Each path's methods, and
     * whether it hijacks, are the table's ({@link EngineApi}), and a path the table does not have fails the
     * class's loading (TecnativaCompatTest loads it).
     */
    private static final String ROUTES = """
            AUTH          /auth
            BUILD         /build
            BUILD         /build/prune
            BUILD         /build/cancel
            COMMIT        /commit
            CONFIGS       /configs
            CONFIGS       /configs/create
            CONFIGS       /configs/{id}
            CONFIGS       /configs/{id}/update
            CONTAINERS    /containers/json
            CONTAINERS    /containers/create
            CONTAINERS    /containers/prune
            CONTAINERS    /containers/{id}
            CONTAINERS    /containers/{id}/json
            CONTAINERS    /containers/{id}/top
            CONTAINERS    /containers/{id}/changes
            CONTAINERS    /containers/{id}/stats
            CONTAINERS    /containers/{id}/resize
            CONTAINERS    /containers/{id}/update
            CONTAINERS    /containers/{id}/rename
            CONTAINERS    /containers/{id}/wait
            CONTAINERS    /containers/{id}/start     or=ALLOW_START
            CONTAINERS    /containers/{id}/stop      or=ALLOW_STOP or=ALLOW_RESTARTS
            CONTAINERS    /containers/{id}/restart   or=ALLOW_RESTARTS
            CONTAINERS    /containers/{id}/pause     or=ALLOW_PAUSE
            CONTAINERS    /containers/{id}/unpause   or=ALLOW_UNPAUSE
            CONTAINERS    /containers/{id}/kill      or=ALLOW_RESTARTS needs=ALLOW_KILL
            CONTAINERS    /containers/{id}/exec      needs=ALLOW_EXEC
            CONTAINERS    /containers/{id}/attach    needs=ALLOW_ATTACH
            CONTAINERS    /containers/{id}/logs      needs=ALLOW_LOGS
            CONTAINERS    /containers/{id}/export    needs=ALLOW_EXPORT
            CONTAINERS    /containers/{id}/archive   needs=ALLOW_ARCHIVE
            DISTRIBUTION  /distribution/{name}/json
            EVENTS        /events
            EXEC          /exec/{id}/start
            EXEC          /exec/{id}/resize
            EXEC          /exec/{id}/json
            GRPC          /grpc
            IMAGES        /images/json
            IMAGES        /images/create
            IMAGES        /images/load
            IMAGES        /images/prune
            IMAGES        /images/search
            IMAGES        /images/get
            IMAGES        /images/{name}/json
            IMAGES        /images/{name}/history
            IMAGES        /images/{name}/get
            IMAGES        /images/{name}/push
            IMAGES        /images/{name}/tag         tag-constraints
            IMAGES        /images/{name}
            INFO          /info
            NETWORKS      /networks
            NETWORKS      /networks/create
            NETWORKS      /networks/prune
            NETWORKS      /networks/{id}
            NETWORKS      /networks/{id}/connect
            NETWORKS      /networks/{id}/disconnect
            NODES         /nodes
            NODES         /nodes/{id}
            NODES         /nodes/{id}/update
            PING          /_ping
            PLUGINS       /plugins
            PLUGINS       /plugins/privileges
            PLUGINS       /plugins/pull
            PLUGINS       /plugins/create
            PLUGINS       /plugins/{name}/json
            PLUGINS       /plugins/{name}
            PLUGINS       /plugins/{name}/enable
            PLUGINS       /plugins/{name}/disable
            PLUGINS       /plugins/{name}/upgrade
            PLUGINS       /plugins/{name}/push
            PLUGINS       /plugins/{name}/set
            SECRETS       /secrets
            SECRETS       /secrets/create
            SECRETS       /secrets/{id}
            SECRETS       /secrets/{id}/update
            SERVICES      /services
            SERVICES      /services/create
            SERVICES      /services/{id}
            SERVICES      /services/{id}/update
            SERVICES      /services/{id}/logs
            SESSION       /session
            SWARM         /swarm
            SWARM         /swarm/init
            SWARM         /swarm/join
            SWARM         /swarm/leave
            SWARM         /swarm/update
            SWARM         /swarm/unlockkey
            SWARM         /swarm/unlock
            SYSTEM        /system/df
            TASKS         /tasks
            TASKS         /tasks/{id}
            TASKS         /tasks/{id}/logs
            VERSION       /version
            VOLUMES       /volumes
            VOLUMES       /volumes/create
            VOLUMES       /volumes/prune
            VOLUMES       /volumes/{id}              plus=PUT
            """;

    /** {@link #ROUTES} read, with each path's methods from the Engine API table. */
    private static final List<Route> ROUTE_LIST = ROUTES.lines().map(line -> Route.of(line.trim().split("\\s+"))).toList();

    private final TecnativaVariables values;

    private TecnativaCompat(TecnativaVariables values) {
        this.values = values;
    }

    /** Reads the variables from {@code env}; an unset variable takes the docker-socket-proxy default. */
    public static TecnativaCompat fromEnvironment(Map<String, String> env) throws CompatException {
        return new TecnativaCompat(TecnativaVariables.fromEnvironment(env));
    }

    /** The generated rules, with comments saying which variable opened what. */
    public String rulesText() {
        Set<String> methods = values.enabledMethods();
        StringBuilder text = new StringBuilder();
        text.append("# Rules generated by dockgate --compat tecnativa from docker-socket-proxy variables.\n")
                .append("# ").append(summary()).append('\n')
                .append("# Each rule is an Engine API route of an enabled section, with the methods that route has\n")
                .append("# and the method variables allow (GET and HEAD always).\n");
        String section = null;
        for (Route route : ROUTE_LIST) {
            if (!route.section().equals(section)) {
                section = route.section();
                text.append("\n# ").append(section).append('=').append(values.on(section) ? "1" : "0").append('\n');
            }
            if (!route.open(values)) {
                continue;
            }
            Set<String> allowed = new LinkedHashSet<>();
            for (String method : route.methods()) {
                if (methods.contains(method)) {
                    allowed.add(method);
                    if (method.equals("GET")) {
                        allowed.add("HEAD");
                    }
                }
            }
            if (allowed.isEmpty()) {
                text.append("#   ").append(route.path()).append(": no enabled method (")
                        .append(String.join(",", route.methods())).append(")\n");
                continue;
            }
            text.append(String.format("%-16s %s", String.join(",", allowed), route.path()));
            if (route.tagConstraints()) {
                text.append("   ").append(TAG_CONSTRAINTS);
            }
            if (route.hijack()) {
                // That proxy passes the Upgrade to the daemon, so exec and attach streams work through it.
                text.append("   ").append(Rule.HIJACK);
            }
            text.append(route.because(values)).append('\n');
        }
        return text.toString();
    }

    /** One line for the start-up log: which sections, methods and container actions are on. */
    public String summary() {
        return values.summary();
    }

    /** The rules themselves. */
    public Profile profile() {
        try {
            return Profile.parse(SOURCE, rulesText());
        } catch (RulesException e) {
            throw new IllegalStateException("generated compat rules do not parse: " + e.getMessage(), e);
        }
    }

    /** One row of {@link #ROUTES}. */
    private record Route(String section, List<String> methods, String path, List<String> openers, String needs,
                         boolean hijack, boolean tagConstraints) {

        static Route of(String[] words) {
            List<String> openers = new ArrayList<>();
            String needs = null;
            boolean tag = false;
            String path = words[1];
            boolean hijack = EngineApi.routes().hijacks(path);
            List<String> methods = new ArrayList<>(EngineApi.routes().methods(path));
            if (methods.isEmpty()) {
                throw new IllegalStateException("compat route table names " + path
                        + ", which is no route of the Engine API table");
            }
            for (int i = 2; i < words.length; i++) {
                String word = words[i];
                if (word.startsWith("plus=")) {
                    methods.add(word.substring(5));
                } else if (word.startsWith("or=")) {
                    openers.add(word.substring(3));
                } else if (word.startsWith("needs=")) {
                    needs = word.substring(6);
                } else if (word.equals("tag-constraints")) {
                    tag = true;
                } else {
                    throw new IllegalStateException("bad word in route table: " + word);
                }
            }
            methods.sort(Comparator.comparingInt(Rule.METHODS::indexOf));
            return new Route(words[0], List.copyOf(methods), path, openers, needs, hijack, tag);
        }

        boolean open(TecnativaVariables compat) {
            if (needs != null && !compat.on(needs)) {
                return false;
            }
            return compat.on(section) || openers.stream().anyMatch(compat::on);
        }

        /** A trailing comment naming the variables that opened a route beyond its section. */
        String because(TecnativaVariables compat) {
            StringJoiner why = new StringJoiner(", ", "   # ", "").setEmptyValue("");
            if (!compat.on(section)) {
                openers.stream().filter(compat::on).forEach(opener -> why.add(opener + "=1"));
            }
            if (needs != null) {
                why.add(needs + "=1");
            }
            return why.toString();
        }
    }
}
