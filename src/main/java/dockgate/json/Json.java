package dockgate.json;

/** One JSON value, as read by {@link StrictJsonReader}: immutable, and equal when it reads the same. */
public sealed interface Json permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {
}
