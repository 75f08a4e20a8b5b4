package dockgate.json;

/** {@code true} or {@code false}. */
public enum JsonBool implements Json {
    TRUE, FALSE;

    public boolean value() {
        return this == TRUE;
    }

    public static JsonBool of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
