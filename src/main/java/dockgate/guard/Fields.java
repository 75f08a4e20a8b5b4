package dockgate.guard;

import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBool;
import dockgate.json.JsonNull;
import dockgate.json.JsonNumber;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields of a body whose keys are already canonical. A field of a type the checks do not expect is
 * refused rather than skipped, so that nothing the daemon might act on goes unchecked.
 */
final class Fields {

    private Fields() {
    }

    static JsonObject object(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value == null || value == JsonNull.NULL) {
            return null;
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw unexpected(where + key, "an object");
    }

    static String string(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value == null || value == JsonNull.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.value();
        }
        throw unexpected(where + key, "a string");
    }

    static boolean bool(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value == null || value == JsonNull.NULL) {
            return false;
        }
        if (value instanceof JsonBool bool) {
            return bool.value();
        }
        throw unexpected(where + key, "true or false");
    }

    /** An integer field; 0 when absent, as Go leaves it. */
    static long integer(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value == null || value == JsonNull.NULL) {
            return 0;
        }
        if (value instanceof JsonNumber number && number.isInteger()) {
            try {
                return number.decimal().longValueExact();
            } catch (ArithmeticException e) {
                throw unexpected(where + key, "a 64-bit integer");
            }
        }
        throw unexpected(where + key, "an integer");
    }

    /** The items of an array field; empty when absent or null. */
    static List<Json> array(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value == null || value == JsonNull.NULL) {
            return List.of();
        }
        if (value instanceof JsonArray array) {
            return array.items();
        }
        throw unexpected(where + key, "an array");
    }

    /** Whether a field is there with a value other than null: Go tells an empty list from a missing one. */
    static boolean present(JsonObject parent, String key) {
        Json value = parent == null ? null : parent.get(key);
        return value != null && value != JsonNull.NULL;
    }

    /** The strings of an array field, or of a field Go's StrSlice reads as one string or a list. */
    static List<String> strings(JsonObject parent, String key, String where) throws Refused {
        Json value = parent == null ? null : parent.get(key);
        if (value instanceof JsonString single) {
            return List.of(single.value());
        }
        List<String> out = new ArrayList<>();
        List<Json> items = array(parent, key, where);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof JsonString string) {
                out.add(string.value());
            } else if (items.get(i) != JsonNull.NULL) {
                throw unexpected(where + key + "[" + i + "]", "a string");
            }
        }
        return out;
    }

    private static Refused unexpected(String field, String expected) {
        return new Refused("body", field + " is not " + expected);
    }
}
