package dockgate.json;

/** {@code null}: Go leaves the field it names at its zero value. */
public enum JsonNull implements Json {
    NULL
}
