package dockgate.scope;

import dockgate.json.Json;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonNull;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.StrictJsonReader;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a scope needs from the daemon's inspect answer for one object: what names it for good, and its labels. */
public final class ObjectLabels {

    /** Deeper than any inspect answer nests. */
    private static final int MAX_DEPTH = 64;

    /**
     * @param id     the object's id (a volume's name), which the call is then sent with
     * @param labels its labels; empty when it has none
     */
    public record Found(String id, Map<String, String> labels) {
        public Found {
            labels = Map.copyOf(labels);
        }
    }

    private ObjectLabels() {
    }

    /** Reads an inspect answer of this kind. */
    public static Found read(Kind kind, byte[] answer) throws JsonBodyException {
        JsonObject object = object(StrictJsonReader.read(answer, MAX_DEPTH), "the inspect answer");
        Json id = object.get(kind.idField());
        if (!(id instanceof JsonString text) || text.value().isEmpty()) {
            throw new JsonBodyException("the inspect answer has no " + kind.idField());
        }
        Json at = object;
        for (String member : kind.labelsPath()) {
            at = at instanceof JsonObject holder ? holder.get(member) : null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (at != null && !(at instanceof JsonNull)) {
            for (JsonObject.Member label : object(at, "Labels").members()) {
                if (!(label.value() instanceof JsonString value)) {
                    throw new JsonBodyException("label " + label.key() + " is not a string");
                }
                labels.put(label.key(), value.value());
            }
        }
        return new Found(text.value(), labels);
    }

    /** The container an exec instance runs in, from its inspect answer. */
    public static String execContainer(byte[] answer) throws JsonBodyException {
        return member(answer, "ContainerID", "the exec inspect answer");
    }

    /**
     * The service a task belongs to, from its inspect answer. The daemon's task list filters a task by its
     * service's labels (a task's own are empty, verified on dockerd 20.10), so a task is judged by them too.
     */
    public static String taskService(byte[] answer) throws JsonBodyException {
        return member(answer, "ServiceID", "the task inspect answer");
    }

    private static String member(byte[] answer, String name, String what) throws JsonBodyException {
        Json value = object(StrictJsonReader.read(answer, MAX_DEPTH), what).get(name);
        if (!(value instanceof JsonString text) || text.value().isEmpty()) {
            throw new JsonBodyException(what + " has no " + name);
        }
        return text.value();
    }

    private static JsonObject object(Json value, String what) throws JsonBodyException {
        if (!(value instanceof JsonObject object)) {
            throw new JsonBodyException(what + " is not a JSON object");
        }
        return object;
    }
}
