package dockgate.scope;

import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonBool;
import dockgate.json.JsonNull;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.JsonWriter;
import dockgate.json.StrictJsonReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list call's {@code filters} with a scope's labels added, so that the daemon itself returns only what the
 * scope holds, and a stream of events stays a stream. The daemon ANDs every {@code label} filter it is given
 * (verified on dockerd 20.10: two labels narrow the list, and a label written {@code false} in the map form
 * still filters), and every other filter narrows too; so whatever the client asked for, adding the scope's
 * labels can only narrow its answer.
 *
 * <p>The client's value is read as the daemon reads it, the map form {@code {"label":{"a=b":true}}} or the
 * older list form {@code {"label":["a=b"]}}, and anything the daemon would read otherwise (a duplicate key,
 * a value of another type) is refused. The daemon is sent the map form, written anew.
 */
public final class ListFilters {

    private static final String LABEL = "label";
    private static final int MAX_DEPTH = 3;

    private ListFilters() {
    }

    /**
     * @param clients the client's {@code filters} value, decoded; "" when it gave none
     * @param labels  the scope's label filters, {@code key=value} or {@code key}
     * @return the filters to send the daemon, as JSON
     * @throws IllegalArgumentException saying what is wrong with the client's filters
     */
    public static String merged(String clients, List<String> labels) {
        List<JsonObject.Member> out = new ArrayList<>();
        boolean labelled = false;
        if (!clients.isEmpty()) {
            Json read;
            try {
                read = StrictJsonReader.read(clients.getBytes(StandardCharsets.UTF_8), MAX_DEPTH);
            } catch (JsonBodyException e) {
                throw new IllegalArgumentException("filters is not JSON the daemon reads one way: " + e.getMessage());
            }
            if (!(read instanceof JsonObject object)) {
                throw new IllegalArgumentException("filters must be a JSON object");
            }
            boolean maps = false;
            boolean lists = false;
            for (JsonObject.Member member : object.members()) {
                maps |= member.value() instanceof JsonObject;
                lists |= member.value() instanceof JsonArray;
                if (maps && lists) {
                    // The daemon reads one form or the other for the whole value, and refuses a mix.
                    throw new IllegalArgumentException("filters mixes the {\"value\":true} and [\"value\"] forms");
                }
                Set<String> values = values(member);
                if (member.key().equals(LABEL)) {
                    values.addAll(labels);
                    labelled = true;
                }
                out.add(new JsonObject.Member(member.key(), asMap(values)));
            }
        }
        if (!labelled) {
            out.add(new JsonObject.Member(LABEL, asMap(new LinkedHashSet<>(labels))));
        }
        return new String(JsonWriter.write(new JsonObject(out)), StandardCharsets.UTF_8);
    }

    /** The values of one filter, in either form; the map form's booleans mean nothing to the daemon. */
    private static Set<String> values(JsonObject.Member member) {
        Set<String> values = new LinkedHashSet<>();
        Json value = member.value();
        if (value instanceof JsonNull) {
            return values;
        }
        if (value instanceof JsonObject map) {
            for (JsonObject.Member entry : map.members()) {
                if (!(entry.value() instanceof JsonBool)) {
                    throw new IllegalArgumentException("filter '" + member.key() + "': expected true for '"
                            + entry.key() + "'");
                }
                values.add(entry.key());
            }
            return values;
        }
        if (value instanceof JsonArray list) {
            for (Json item : list.items()) {
                if (!(item instanceof JsonString text)) {
                    throw new IllegalArgumentException("filter '" + member.key() + "': expected a list of strings");
                }
                values.add(text.value());
            }
            return values;
        }
        throw new IllegalArgumentException("filter '" + member.key() + "': expected {\"value\":true} or [\"value\"]");
    }

    private static JsonObject asMap(Set<String> values) {
        List<JsonObject.Member> entries = new ArrayList<>();
        for (String value : values) {
            entries.add(new JsonObject.Member(value, JsonBool.TRUE));
        }
        return new JsonObject(entries);
    }
}
