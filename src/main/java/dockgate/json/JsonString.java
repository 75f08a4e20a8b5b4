package dockgate.json;

import java.util.Objects;

/** A JSON string, decoded: escapes resolved, always well-formed Unicode (an unpaired surrogate is refused). */
public record JsonString(String value) implements Json {
    public JsonString {
        WellFormed.string(Objects.requireNonNull(value, "value"));
    }
}
