package dockgate.redact;

import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.JsonWriter;
import dockgate.json.StrictJsonReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The redaction of one kind of answer: container inspect, service inspect and list, task inspect and list.
 * Environment values become {@code NAME=<redacted>}, names kept, wherever a container's environment is
 * shown; with {@code mounts}, so do the host paths of its mounts. Everything else is written as read.
 */
public enum Redaction {

    CONTAINER("/containers/{id}/json", false),
    SERVICE("/services/{id}", false),
    SERVICES("/services", true),
    TASK("/tasks/{id}", false),
    TASKS("/tasks", true);

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

    Redaction(String route, boolean list) {
        this.route = route;
        this.list = list;
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
        Json read = StrictJsonReader.read(answer, MAX_DEPTH);
        Json redacted;
        if (list) {
            if (!(read instanceof JsonArray array)) {
                throw new JsonBodyException("the answer is not a JSON array");
            }
            List<Json> items = new ArrayList<>();
            for (Json item : array.items()) {
                items.add(one(item, what));
            }
            redacted = new JsonArray(items);
        } else {
            redacted = one(read, what);
        }
        return JsonWriter.write(redacted, answer.length);
    }

    private Json one(Json item, Set<String> what) throws JsonBodyException {
        if (!(item instanceof JsonObject object)) {
            throw new JsonBodyException("the answer holds something else than an object where one belongs");
        }
        return switch (this) {
            case CONTAINER -> container(object, what);
            case SERVICE, SERVICES -> service(object, what);
            case TASK, TASKS -> at(object, "Spec", spec -> at(spec, "ContainerSpec", c -> containerSpec(c, what)));
        };
    }

    private static JsonObject container(JsonObject inspect, Set<String> what) {
        JsonObject out = at(inspect, "Config", config -> env(config, what));
        if (what.contains(MOUNTS)) {
            out = mountSources(out, "Mounts");
            out = at(out, "HostConfig", host -> bindSources(host));
        }
        return out;
    }

    private static JsonObject service(JsonObject service, Set<String> what) {
        JsonObject out = service;
        // The spec as it is and the one before the last update both hold the container's environment.
        for (String spec : List.of("Spec", "PreviousSpec")) {
            out = at(out, spec, s -> at(s, "TaskTemplate", t -> at(t, "ContainerSpec", c -> containerSpec(c, what))));
        }
        return out;
    }

    private static JsonObject containerSpec(JsonObject spec, Set<String> what) {
        JsonObject out = env(spec, what);
        return what.contains(MOUNTS) ? mountSources(out, "Mounts") : out;
    }

    private static JsonObject env(JsonObject holder, Set<String> what) {
        if (!what.contains(ENV) || !(holder.get("Env") instanceof JsonArray env)) {
            return holder;
        }
        List<Json> redacted = new ArrayList<>();
        for (Json entry : env.items()) {
            if (entry instanceof JsonString s && s.value().indexOf('=') >= 0) {
                redacted.add(new JsonString(s.value().substring(0, s.value().indexOf('=') + 1) + REDACTED));
            } else {
                redacted.add(entry);
            }
        }
        return holder.with("Env", new JsonArray(redacted));
    }

    private static JsonObject mountSources(JsonObject holder, String key) {
        if (!(holder.get(key) instanceof JsonArray mounts)) {
            return holder;
        }
        List<Json> out = new ArrayList<>();
        for (Json mount : mounts.items()) {
            out.add(mount instanceof JsonObject m && m.get("Source") instanceof JsonString source
                    && !source.value().isEmpty() ? m.with("Source", new JsonString(MOUNT_SOURCE)) : mount);
        }
        return holder.with(key, new JsonArray(out));
    }

    /** Binds are SOURCE:TARGET[:MODE]; a source that is a host path is replaced, a volume name kept. */
    private static JsonObject bindSources(JsonObject hostConfig) {
        if (!(hostConfig.get("Binds") instanceof JsonArray binds)) {
            return hostConfig;
        }
        List<Json> out = new ArrayList<>();
        for (Json bind : binds.items()) {
            if (bind instanceof JsonString s && s.value().startsWith("/") && s.value().indexOf(':') > 0) {
                out.add(new JsonString(MOUNT_SOURCE + s.value().substring(s.value().indexOf(':'))));
            } else {
                out.add(bind);
            }
        }
        return hostConfig.with("Binds", new JsonArray(out));
    }

    private interface Change {
        JsonObject apply(JsonObject object);
    }

    /** The object with its member {@code key}, when that is an object, changed; as it is otherwise. */
    private static JsonObject at(JsonObject object, String key, Change change) {
        return object.get(key) instanceof JsonObject inner ? object.with(key, change.apply(inner)) : object;
    }
}
