package dockgate.body;

import dockgate.json.GoKeyFold;
import dockgate.json.Json;
import dockgate.json.JsonArray;
import dockgate.json.JsonBodyException;
import dockgate.json.JsonBool;
import dockgate.json.JsonNull;
import dockgate.json.JsonNumber;
import dockgate.json.JsonObject;
import dockgate.json.JsonString;
import dockgate.json.Printable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed body made into the one the daemon will read exactly as it was checked: every key of a struct object
 * spelled as its field's canonical name, and every value one its Go field takes as it is. Refused, naming the
 * JSON path: two keys of one object that Go 1.19 or a newer Go would send to one field (the daemon keeps
 * the last, the checks might see the first), and a value of a type the field does not take (Go would fail,
 * or read it otherwise). {@code null} is accepted everywhere, as Go leaves the field at its zero value. Keys
 * no field takes are kept as spelled, with their values as parsed. A strslice given as one string becomes an
 * array of that string, which Go reads alike, so checks see one form.
 */
public final class CanonicalBody {
    private CanonicalBody() {
    }

    public static Json apply(Json value, BodyShape shape) throws JsonBodyException {
        return walk(value, shape, "");
    }

    // Recursion follows the shape, whose nesting is fixed by the shapes file, never the body's own depth.
    private static Json walk(Json value, BodyShape shape, String path) throws JsonBodyException {
        if (value == JsonNull.NULL) {
            return value;
        }
        switch (shape.kind()) {
            case ANY:
                return value;
            case STRUCT:
                return struct(expect(value, JsonObject.class, shape, path), shape, path);
            case MAP: {
                JsonObject object = expect(value, JsonObject.class, shape, path);
                List<JsonObject.Member> out = new ArrayList<>(object.members().size());
                for (JsonObject.Member member : object.members()) {
                    out.add(new JsonObject.Member(member.key(),
                            walk(member.value(), shape.element(), path + "[" + Printable.quoted(member.key()) + "]")));
                }
                return new JsonObject(out);
            }
            case ARRAY:
                return array(expect(value, JsonArray.class, shape, path), shape.element(), path);
            case STRING_OR_ARRAY:
                if (value instanceof JsonString) {
                    return new JsonArray(List.of(value));
                }
                if (!(value instanceof JsonArray)) {
                    throw mismatch(value, shape, path);
                }
                return array((JsonArray) value, shape.element(), path);
            case STRING:
                return expect(value, JsonString.class, shape, path);
            case BOOL:
                return expect(value, JsonBool.class, shape, path);
            case INTEGER:
                return integer(expect(value, JsonNumber.class, shape, path), shape, path);
            case FLOAT:
                return floating(expect(value, JsonNumber.class, shape, path), shape, path);
            default:
                throw new IllegalStateException("unknown kind " + shape.kind());
        }
    }

    private static JsonObject struct(JsonObject object, BodyShape shape, String path) throws JsonBodyException {
        // One key per folding seen so far, under each of Go's two foldings: a second key of either folding is
        // a second spelling of one field. Keys no field takes are held to this too: a newer daemon may know them.
        Map<String, String> byFold = new HashMap<>();
        Map<String, String> byUnicodeFold = new HashMap<>();
        List<JsonObject.Member> out = new ArrayList<>(object.members().size());
        for (JsonObject.Member member : object.members()) {
            String key = member.key();
            String folded = GoKeyFold.fold(key);
            String unicodeFolded = GoKeyFold.foldUnicode(key);
            String earlier = byFold.putIfAbsent(folded, key);
            if (earlier == null) {
                earlier = byUnicodeFold.putIfAbsent(unicodeFolded, key);
            }
            if (earlier != null) {
                throw new JsonBodyException("body is refused: " + Printable.quoted(earlier) + " and "
                        + Printable.quoted(key) + " in " + place(path)
                        + " are two spellings of one field; the daemon would use the last");
            }
            BodyShape.Field field = shape.fieldFor(folded, unicodeFolded);
            if (field == null) {
                out.add(member);
            } else {
                String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                out.add(new JsonObject.Member(field.name(), walk(member.value(), field.shape(), fieldPath)));
            }
        }
        return new JsonObject(out);
    }

    private static JsonArray array(JsonArray array, BodyShape element, String path) throws JsonBodyException {
        List<Json> out = new ArrayList<>(array.items().size());
        for (int i = 0; i < array.items().size(); i++) {
            out.add(walk(array.items().get(i), element, path + "[" + i + "]"));
        }
        return new JsonArray(out);
    }

    private static JsonNumber integer(JsonNumber number, BodyShape shape, String path) throws JsonBodyException {
        // Go parses the literal with strconv.ParseInt or ParseUint: no fraction, no exponent, no sign on an
        // unsigned field (not even -0), and the type's range.
        // More than 21 characters is beyond 64 bits, and is not parsed at all, which for a megabyte of digits
        // would cost seconds.
        if (!number.isInteger() || (shape.isUnsigned() && number.text().startsWith("-"))
                || number.text().length() > 21) {
            throw mismatch(number, shape, path);
        }
        BigInteger value = new BigInteger(number.text());
        if (value.compareTo(shape.min()) < 0 || value.compareTo(shape.max()) > 0) {
            throw mismatch(number, shape, path);
        }
        return number;
    }

    private static JsonNumber floating(JsonNumber number, BodyShape shape, String path) throws JsonBodyException {
        // Go's strconv.ParseFloat fails beyond the type's largest finite value; a tiny value just rounds to 0.
        // The JSON grammar is a part of Java's, and Java rounds as Go does, to the nearest value of the type.
        boolean finite = shape.isFloat32() ? Float.isFinite(Float.parseFloat(number.text()))
                : Double.isFinite(Double.parseDouble(number.text()));
        if (!finite) {
            throw mismatch(number, shape, path);
        }
        return number;
    }

    private static <T extends Json> T expect(Json value, Class<T> type, BodyShape shape, String path)
            throws JsonBodyException {
        if (!type.isInstance(value)) {
            throw mismatch(value, shape, path);
        }
        return type.cast(value);
    }

    private static JsonBodyException mismatch(Json value, BodyShape shape, String path) {
        return new JsonBodyException("body is refused: " + place(path) + " is " + what(value)
                + ", but the daemon reads " + shape.describe() + " there");
    }

    private static String place(String path) {
        return path.isEmpty() ? "the body" : path;
    }

    private static String what(Json value) {
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        if (value instanceof JsonString) {
            return "a string";
        }
        if (value instanceof JsonBool) {
            return value == JsonBool.TRUE ? "true" : "false";
        }
        String text = ((JsonNumber) value).text();
        return "the number " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
