/**
 * JSON as the gateway reads request bodies: an immutable value tree ({@code Json} and its records), a strict
 * RFC 8259 reader that refuses everything Go's {@code encoding/json} could read another way (invalid UTF-8,
 * duplicate keys, trailing data, deep nesting), a compact writer, and Go's folding of object keys onto struct
 * field names ({@code GoKeyFold}). A leaf: it uses no other dockgate package. Everything here is immutable or
 * stateless, for any thread; a read runs on the thread that calls it.
 */
package dockgate.json;
