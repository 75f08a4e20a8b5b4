package dockgate.redact;

import dockgate.json.JsonBodyException;
import dockgate.json.JsonPlace;
import dockgate.json.StringRewriter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The redaction of one kind of answer: container inspect, service inspect and list, task inspect and list.
 * Environment values become {@code NAME=<redacted>}, names kept, wherever a container's environment is
 * shown; with {@code mounts}, so do the host paths of its mounts. Only those strings are written anew: every
 * other byte of the answer goes as the daemon sent it, once the whole answer is known to be well-formed JSON.
 */
public enum Redaction {

    CONTAINER("/containers/{id}/json", false, List.of("Config.Env[]"), List.of("Mounts[].Source"),
            List.of("HostConfig.Binds[]")),
    SERVICE("/services/{id}", false, Specs.ENV, Specs.MOUNTS, List.of()),
    SERVICES("/services", true, Specs.ENV, Specs.MOUNTS, List.of()),
    TASK("/tasks/{id}", false, List.of("Spec.ContainerSpec.Env[]"), List.of("Spec.ContainerSpec.Mounts[].Source"), List.of()),
    TASKS("/tasks", true, List.of("Spec.ContainerSpec.Env[]"), List.of("Spec.ContainerSpec.Mounts[].Source"), List.of());

    /** What an environment value is replaced with. */
    public static final String REDACTED = "<redacted>";
    /** The redactions a rule can name: env is on unless revealed, mounts only when asked for. */
    public static final String ENV = "env";
    public static final String MOUNTS = "mounts";
    public static final Set<String> NAMES = Set.of(ENV, MOUNTS);

    /** Deeper than any answer nests; the reader's bound, not a limit on the daemon. */
    private static final int MAX_DEPTH = 64;
    private static final String MOUNT_SOURCE = "<host path>";

    private final String route;
    private final boolean list;
    private final JsonPlace env;
    private final JsonPlace mounts;
    private final JsonPlace both;

    /**
     * The places of one answer object (for a list, of each item): its environment, the sources of its mounts,
     * and its binds (SOURCE:TARGET[:MODE]).
     */
    Redaction(String route, boolean list, List<String> env, List<String> sources, List<String> binds) {
        this.route = route;
        this.list = list;
        String each = list ? "[]." : "";
        Map<String, UnaryOperator<String>> envPlaces = new HashMap<>();
        env.forEach(path -> envPlaces.put(each + path, Redaction::envValue));
        Map<String, UnaryOperator<String>> mountPlaces = new HashMap<>();
        sources.forEach(path -> mountPlaces.put(each + path, Redaction::mountSource));
        binds.forEach(path -> mountPlaces.put(each + path, Redaction::bindSource));
        Map<String, UnaryOperator<String>> all = new HashMap<>(envPlaces);
        all.putAll(mountPlaces);
        this.env = JsonPlace.of(envPlaces);
        this.mounts = JsonPlace.of(mountPlaces);
        this.both = JsonPlace.of(all);
    }

    /** Where a service shows its container's: in its spec as it is, and in the one before the last update. */
    private static final class Specs {
        static final List<String> ENV = List.of("Spec.TaskTemplate.ContainerSpec.Env[]",
                "PreviousSpec.TaskTemplate.ContainerSpec.Env[]");
        static final List<String> MOUNTS = List.of("Spec.TaskTemplate.ContainerSpec.Mounts[].Source",
                "PreviousSpec.TaskTemplate.ContainerSpec.Mounts[].Source");
    }

    /** The redaction of a GET on this route of the route table, or null when its answers show no environment. */
    public static Redaction of(String method, String routeTemplate) {
        if (!method.equals("GET")) {
            return null;
        }
        for (Redaction redaction : values()) {
            if (redaction.route.equals(routeTemplate)) {
                return redaction;
            }
        }
        return null;
    }

    /** The answer with what {@code what} names redacted ({@link #ENV}, {@link #MOUNTS}). */
    public byte[] apply(byte[] answer, Set<String> what) throws JsonBodyException {
        JsonPlace places = what.contains(ENV) ? (what.contains(MOUNTS) ? both : env) : what.contains(MOUNTS) ? mounts : null;
        if (places == null) {
            return answer;
        }
        int first = 0;
        while (first < answer.length && (answer[first] == ' ' || answer[first] == '\t' || answer[first] == '\n'
                || answer[first] == '\r')) {
            first++;
        }
        if (first == answer.length || answer[first] != (list ? '[' : '{')) {
            throw new JsonBodyException("the answer is not a JSON " + (list ? "array" : "object"));
        }
        return StringRewriter.rewrite(answer, places, MAX_DEPTH);
    }

    private static String envValue(String entry) {
        int equals = entry.indexOf('=');
        return equals < 0 ? null : entry.substring(0, equals + 1) + REDACTED;
    }

    private static String mountSource(String source) {
        return source.isEmpty() ? null : MOUNT_SOURCE;
    }

    /** Binds are SOURCE:TARGET[:MODE]; a source that is a host path is replaced, a volume name kept. */
    private static String bindSource(String bind) {
        int colon = bind.indexOf(':');
        return bind.startsWith("/") && colon > 0 ? MOUNT_SOURCE + bind.substring(colon) : null;
    }
}
