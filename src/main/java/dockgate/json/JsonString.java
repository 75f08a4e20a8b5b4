package dockgate.json;

import java.util.Objects;

/** A JSON string, decoded: escapes resolved, always well-formed Unicode. */
public record JsonString(String value) implements Json {
    public JsonString {
        Objects.requireNonNull(value, "value");
    }
}
