package dockgate.guard;

import dockgate.json.Json;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels of whatever a body creates (a container, volume, network, service, or a service's containers):
 * the ones the set requires, as the client gives them, and the ones it stamps over the client's own.
 */
final class LabelChecks {

    private final CheckSet set;

    LabelChecks(CheckSet set) {
        this.set = set;
    }

    /** The labels the set requires in {@code holder}'s {@code Labels}, before the stamped ones are added. */
    void required(JsonObject holder, String where) throws Refused {
        JsonObject labels = Fields.object(holder, "Labels", where);
        for (Map.Entry<String, String> required : set.require().labels().entrySet()) {
            Json value = labels == null ? null : labels.get(required.getKey());
            String given = value instanceof JsonString string ? string.value() : null;
            if (given == null || !required.getValue().isEmpty() && !required.getValue().equals(given)) {
                throw new Refused("label", where + "Labels " + (given == null ? "lacks " + required.getKey()
                        : "has " + required.getKey() + "=" + given + ", not " + required.getValue()));
            }
        }
    }

    /** {@code holder} with the set's labels in its {@code Labels}, over the client's own, in a stable order. */
    JsonObject stamped(JsonObject holder) throws Refused {
        if (set.stampLabels().isEmpty()) {
            return holder;
        }
        JsonObject labels = Fields.object(holder, "Labels", "");
        labels = labels == null ? new JsonObject(List.of()) : labels;
        for (Map.Entry<String, String> stamp : new TreeMap<>(set.stampLabels()).entrySet()) {
            labels = labels.with(stamp.getKey(), new JsonString(stamp.getValue()));
        }
        return holder.with("Labels", labels);
    }
}
