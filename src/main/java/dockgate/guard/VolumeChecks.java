package dockgate.guard;

import dockgate.json.JsonObject;
import dockgate.json.JsonString;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks of a volume create body: its driver, and the local driver's options, which can bind a host
 * path or mount a host device under a volume's name. Also stamps the set's labels.
 */
final class VolumeChecks {

    private final CheckSet set;

    VolumeChecks(CheckSet set) {
        this.set = set;
    }

    void check(JsonObject body) throws Refused {
        HostAccess host = new HostAccess(set);
        host.volumeDriver(Fields.string(body, "Driver", ""), "Driver");
        host.volumeOptions(Fields.object(body, "DriverOpts", ""), false, "DriverOpts");
        new ContainerChecks(set).labels(Fields.object(body, "Labels", ""), "Labels");
    }

    JsonObject stamped(JsonObject body) throws Refused {
        return stamp(body, set);
    }

    /** A body with the set's labels set in its {@code Labels}, over the client's own, in a stable order. */
    static JsonObject stamp(JsonObject body, CheckSet set) throws Refused {
        if (set.stampLabels().isEmpty()) {
            return body;
        }
        JsonObject labels = Fields.object(body, "Labels", "");
        labels = labels == null ? new JsonObject(List.of()) : labels;
        for (Map.Entry<String, String> stamp : new TreeMap<>(set.stampLabels()).entrySet()) {
            labels = labels.with(stamp.getKey(), new JsonString(stamp.getValue()));
        }
        return body.with("Labels", labels);
    }
}
