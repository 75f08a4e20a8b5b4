package dockgate.body;

import dockgate.json.GoKeyFold;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one JSON value as the daemon's Go types decode it: a struct and its fields, a map with string
 * keys, a slice or array, a {@code strslice.StrSlice} (a string or an array of strings), a string, a bool, an
 * integer of a given range, a float, or anything ({@code interface{}}, taken as it is). Immutable.
 */
public final class BodyShape {

    public enum Kind { STRUCT, MAP, ARRAY, STRING_OR_ARRAY, STRING, BOOL, INTEGER, FLOAT, ANY }

    /**
     * A field of a struct, by the JSON name Go's encoding/json gives it. {@code deprecatedTopLevelHost} marks
     * a field of the host config embedded, deprecated, at the top level of a container create body.
     */
    public record Field(String name, BodyShape shape, boolean deprecatedTopLevelHost) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(shape, "shape");
        }
    }

    private final Kind kind;
    private final String goType;
    private final List<Field> fields;
    /** The index in {@link #fields} of each field by its name, and by each of its foldings. */
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<String, Integer> byFold = new HashMap<>();
    private final Map<String, Integer> byUnicodeFold = new HashMap<>();
    private final BodyShape element;
    private final BigInteger min;
    private final BigInteger max;
    /** {@link #min} and {@link #max} clamped to a long, as most literals are checked against them. */
    private final long minLong;
    private final long maxLong;

    private BodyShape(Kind kind, String goType, List<Field> fields, BodyShape element, BigInteger min, BigInteger max) {
        this.kind = kind;
        this.goType = goType;
        this.fields = List.copyOf(fields);
        this.element = element;
        this.min = min;
        this.max = max;
        this.minLong = min == null ? 0 : min.max(BigInteger.valueOf(Long.MIN_VALUE)).longValue();
        this.maxLong = max == null ? 0 : max.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        for (int i = 0; i < this.fields.size(); i++) {
            Field field = this.fields.get(i);
            // Go picks one field for a key; with two fields of one folding that pick would depend on Go's version.
            if (byFold.put(GoKeyFold.fold(field.name()), i) != null
                    | byUnicodeFold.put(GoKeyFold.foldUnicode(field.name()), i) != null) {
                throw new IllegalArgumentException(goType + " has two fields that fold to " + field.name());
            }
            byName.put(field.name(), i);
        }
    }

    /** A struct of these fields, embedded ones already flattened. */
    public static BodyShape struct(String goType, List<Field> fields) {
        return new BodyShape(Kind.STRUCT, goType, fields, null, null, null);
    }

    public static BodyShape map(BodyShape value) {
        return new BodyShape(Kind.MAP, "map[string]" + value.goType, List.of(), value, null, null);
    }

    public static BodyShape array(BodyShape element) {
        return new BodyShape(Kind.ARRAY, "[]" + element.goType, List.of(), element, null, null);
    }

    public static BodyShape strSlice() {
        return new BodyShape(Kind.STRING_OR_ARRAY, "strslice.StrSlice", List.of(), string(), null, null);
    }

    public static BodyShape string() {
        return new BodyShape(Kind.STRING, "string", List.of(), null, null, null);
    }

    public static BodyShape bool() {
        return new BodyShape(Kind.BOOL, "bool", List.of(), null, null, null);
    }

    public static BodyShape any() {
        return new BodyShape(Kind.ANY, "interface{}", List.of(), null, null, null);
    }

    /** A signed integer of {@code bits} bits (8 to 64). */
    public static BodyShape signed(String goType, int bits) {
        return new BodyShape(Kind.INTEGER, goType, List.of(), null,
                BigInteger.ONE.shiftLeft(bits - 1).negate(), BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE));
    }

    /** An unsigned integer of {@code bits} bits (8 to 64). */
    public static BodyShape unsigned(String goType, int bits) {
        return new BodyShape(Kind.INTEGER, goType, List.of(), null,
                BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
    }

    /** A float of 32 or 64 bits. */
    public static BodyShape floating(String goType) {
        return new BodyShape(Kind.FLOAT, goType, List.of(), null, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The Go type, as the shapes file names it. */
    public String goType() {
        return goType;
    }

    /** A struct's fields, in Go's order; empty for any other kind. */
    public List<Field> fields() {
        return fields;
    }

    /** The struct field of exactly this canonical name, or null. */
    public Field field(String name) {
        int index = indexOfName(name);
        return index < 0 ? null : fields.get(index);
    }

    /** The field Go 1.19 or a newer Go sends this key to, however it is spelled; null when no field takes it. */
    public Field fieldFor(String key) {
        int index = indexFor(GoKeyFold.fold(key), GoKeyFold.foldUnicode(key));
        return index < 0 ? null : fields.get(index);
    }

    /** The index in {@link #fields} of the field spelled exactly {@code key}, or -1. */
    public int indexOfName(String key) {
        Integer index = byName.get(key);
        return index == null ? -1 : index;
    }

    /**
     * The index in {@link #fields} of the field Go 1.19 or a newer Go sends a key to, given the key's two
     * foldings ({@link GoKeyFold}); -1 when no field takes it.
     */
    public int indexFor(String folded, String unicodeFolded) {
        Integer index = byFold.get(folded);
        if (index == null) {
            index = byUnicodeFold.get(unicodeFolded);
        }
        return index == null ? -1 : index;
    }

    /** What a map's values, an array's elements or a strslice's strings are; null for other kinds. */
    public BodyShape element() {
        return element;
    }

    /** The least value an integer takes (Go's int64 range is the widest); null for other kinds. */
    public BigInteger min() {
        return min;
    }

    /** The greatest value an integer takes; null for other kinds. */
    public BigInteger max() {
        return max;
    }

    /** The least value an integer takes, or Long.MIN_VALUE when that is less. */
    long minLong() {
        return minLong;
    }

    /** The greatest value an integer takes, or Long.MAX_VALUE when that is more. */
    long maxLong() {
        return maxLong;
    }

    public boolean isUnsigned() {
        return kind == Kind.INTEGER && min.signum() == 0;
    }

    /** True for float32, whose range Go checks apart from float64's. */
    boolean isFloat32() {
        return kind == Kind.FLOAT && goType.equals("float32");
    }

    /** What the daemon reads here, for a refusal: "a bool", "an integer (uint16)"... */
    public String describe() {
        return switch (kind) {
            case STRUCT -> "an object (" + goType + ")";
            case MAP -> "an object of " + element.describe().replaceFirst("^an? ", "") + " values";
            case ARRAY -> "an array";
            case STRING_OR_ARRAY -> "a string or an array of strings";
            case STRING -> "a string";
            case BOOL -> "true or false";
            case INTEGER -> "a whole number (" + goType + ", " + min + " to " + max + ")";
            case FLOAT -> "a number (" + goType + ")";
            case ANY -> "any value";
        };
    }

    @Override
    public String toString() {
        return goType;
    }
}
