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
import java.util.Arrays;
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
        return walk(value, shape, new Where());
    }

    // Recursion follows the shape, whose nesting is fixed by the shapes file, never the body's own depth.
    // A value already canonical is returned as it is, so a body sent in the canonical form is not copied.
    private static Json walk(Json value, BodyShape shape, Where where) throws JsonBodyException {
        if (value == JsonNull.NULL) {
            return value;
        }
        switch (shape.kind()) {
            case ANY:
                return value;
            case STRUCT:
                return struct(expect(value, JsonObject.class, shape, where), shape, where);
            case MAP:
                return map(expect(value, JsonObject.class, shape, where), shape.element(), where);
            case ARRAY:
                return array(expect(value, JsonArray.class, shape, where), shape.element(), where);
            case STRING_OR_ARRAY:
                if (value instanceof JsonString) {
                    return new JsonArray(List.of(value));
                }
                if (!(value instanceof JsonArray)) {
                    throw mismatch(value, shape, where);
                }
                return array((JsonArray) value, shape.element(), where);
            case STRING:
                return expect(value, JsonString.class, shape, where);
            case BOOL:
                return expect(value, JsonBool.class, shape, where);
            case INTEGER:
                return integer(expect(value, JsonNumber.class, shape, where), shape, where);
            case FLOAT:
                return floating(expect(value, JsonNumber.class, shape, where), shape, where);
            default:
                throw new IllegalStateException("unknown kind " + shape.kind());
        }
    }

    private static JsonObject struct(JsonObject object, BodyShape shape, Where where) throws JsonBodyException {
        // A second key Go would send to a field already given is a second spelling of it. Keys no field takes
        // are held to this too, under each of Go's two foldings: a newer daemon may know them. A key of a field
        // and a key of none never fold alike, or both would reach the field.
        List<JsonObject.Member> members = object.members();
        String[] spellingOf = new String[shape.fields().size()];
        Map<String, String> byFold = null;
        Map<String, String> byUnicodeFold = null;
        List<JsonObject.Member> out = null;
        for (int m = 0; m < members.size(); m++) {
            JsonObject.Member member = members.get(m);
            String key = member.key();
            int index = shape.indexOfName(key);
            String folded = null;
            String unicodeFolded = null;
            if (index < 0) {
                folded = GoKeyFold.fold(key);
                unicodeFolded = GoKeyFold.foldUnicode(key);
                index = shape.indexFor(folded, unicodeFolded);
            }
            String earlier;
            if (index >= 0) {
                earlier = spellingOf[index];
                spellingOf[index] = key;
            } else {
                byFold = byFold == null ? new HashMap<>() : byFold;
                byUnicodeFold = byUnicodeFold == null ? new HashMap<>() : byUnicodeFold;
                earlier = byFold.putIfAbsent(folded, key);
                if (earlier == null) {
                    earlier = byUnicodeFold.putIfAbsent(unicodeFolded, key);
                }
            }
            if (earlier != null) {
                throw new JsonBodyException("body is refused: " + Printable.quoted(earlier) + " and "
                        + Printable.quoted(key) + " in " + where
                        + " are two spellings of one field; the daemon would use the last");
            }
            JsonObject.Member canonical = member;
            if (index >= 0) {
                BodyShape.Field field = shape.fields().get(index);
                where.push(field.name(), false);
                Json value = walk(member.value(), field.shape(), where);
                where.pop();
                if (value != member.value() || !key.equals(field.name())) {
                    canonical = new JsonObject.Member(field.name(), value);
                }
            }
            out = kept(out, members, m, member, canonical);
        }
        return out == null ? object : new JsonObject(out);
    }

    private static JsonObject map(JsonObject object, BodyShape element, Where where) throws JsonBodyException {
        List<JsonObject.Member> members = object.members();
        List<JsonObject.Member> out = null;
        for (int m = 0; m < members.size(); m++) {
            JsonObject.Member member = members.get(m);
            where.push(member.key(), true);
            Json value = walk(member.value(), element, where);
            where.pop();
            out = kept(out, members, m, member, value == member.value() ? member : new JsonObject.Member(member.key(), value));
        }
        return out == null ? object : new JsonObject(out);
    }

    /** The members so far once one has changed (null while none has), with member {@code m} as it became. */
    private static <T> List<T> kept(List<T> out, List<T> all, int m, T was, T now) {
        if (out == null && now != was) {
            out = new ArrayList<>(all.size());
            out.addAll(all.subList(0, m));
        } else if (out == null) {
            return null;
        }
        out.add(now);
        return out;
    }

    private static JsonArray array(JsonArray array, BodyShape element, Where where) throws JsonBodyException {
        List<Json> items = array.items();
        List<Json> out = null;
        for (int i = 0; i < items.size(); i++) {
            where.push(i);
            Json item = walk(items.get(i), element, where);
            where.pop();
            out = kept(out, items, i, items.get(i), item);
        }
        return out == null ? array : new JsonArray(out);
    }

    private static JsonNumber integer(JsonNumber number, BodyShape shape, Where where) throws JsonBodyException {
        // Go parses the literal with strconv.ParseInt or ParseUint: no fraction, no exponent, no sign on an
        // unsigned field (not even -0), and the type's range.
        // More than 21 characters is beyond 64 bits, and is not parsed at all, which for a megabyte of digits
        // would cost seconds.
        if (!number.isInteger() || (shape.isUnsigned() && number.text().startsWith("-"))
                || number.text().length() > 21) {
            throw mismatch(number, shape, where);
        }
        String text = number.text();
        // Up to 18 digits a literal is well inside a long, and so are the range's ends, clamped to it.
        boolean inRange = text.length() <= 18 ? inRange(Long.parseLong(text), shape) : inRange(new BigInteger(text), shape);
        if (!inRange) {
            throw mismatch(number, shape, where);
        }
        return number;
    }

    private static boolean inRange(BigInteger value, BodyShape shape) {
        return value.compareTo(shape.min()) >= 0 && value.compareTo(shape.max()) <= 0;
    }

    private static boolean inRange(long value, BodyShape shape) {
        return value >= shape.minLong() && value <= shape.maxLong();
    }

    private static JsonNumber floating(JsonNumber number, BodyShape shape, Where where) throws JsonBodyException {
        // Go's strconv.ParseFloat fails beyond the type's largest finite value; a tiny value just rounds to 0.
        // The JSON grammar is a part of Java's, and Java rounds as Go does, to the nearest value of the type.
        boolean finite = shape.isFloat32() ? Float.isFinite(Float.parseFloat(number.text()))
                : Double.isFinite(Double.parseDouble(number.text()));
        if (!finite) {
            throw mismatch(number, shape, where);
        }
        return number;
    }

    private static <T extends Json> T expect(Json value, Class<T> type, BodyShape shape, Where where)
            throws JsonBodyException {
        if (!type.isInstance(value)) {
            throw mismatch(value, shape, where);
        }
        return type.cast(value);
    }

    private static JsonBodyException mismatch(Json value, BodyShape shape, Where where) {
        return new JsonBodyException("body is refused: " + where + " is " + what(value)
                + ", but the daemon reads " + shape.describe() + " there");
    }

    /**
     * The path to the value being walked, kept as a stack and written out only for a refusal:
     * {@code HostConfig.Binds[2]}, {@code Labels["a b"]}, or "the body" at the top.
     */
    private static final class Where {
        // Arrays, not lists: a push and a pop for every field walked were a tenth of the walk.
        /** The key of each step, or null for an array index. */
        private String[] keys = new String[8];
        private int[] indices = new int[8];
        private boolean[] mapKeys = new boolean[8];
        private int depth;

        void push(String key, boolean mapKey) {
            room();
            keys[depth] = key;
            mapKeys[depth++] = mapKey;
        }

        void push(int index) {
            room();
            keys[depth] = null;
            indices[depth] = index;
            mapKeys[depth++] = false;
        }

        private void room() {
            if (depth == keys.length) {
                keys = Arrays.copyOf(keys, 2 * depth);
                indices = Arrays.copyOf(indices, 2 * depth);
                mapKeys = Arrays.copyOf(mapKeys, 2 * depth);
            }
        }

        void pop() {
            depth--;
        }

        @Override
        public String toString() {
            if (depth == 0) {
                return "the body";
            }
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (keys[i] == null) {
                    path.append('[').append(indices[i]).append(']');
                } else if (mapKeys[i]) {
                    path.append('[').append(Printable.quoted(keys[i])).append(']');
                } else {
                    path.append(path.length() == 0 ? "" : ".").append(keys[i]);
                }
            }
            return path.toString();
        }
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
