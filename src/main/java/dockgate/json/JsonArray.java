package dockgate.json;

import java.util.List;

/** A JSON array. */
public record JsonArray(List<Json> items) implements Json {
    public JsonArray {
        items = items instanceof ReadList ? items : List.copyOf(items);
    }
}
