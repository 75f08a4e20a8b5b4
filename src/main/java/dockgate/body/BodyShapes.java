package dockgate.body;

import dockgate.json.KnownKeys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named shapes of the Engine API 1.41 bodies dockgate inspects, read once from the resource
 * {@code dockgate/body-shapes}, whose header explains its format and where each Go type was taken from.
 */
public final class BodyShapes {
    static final String RESOURCE = "/dockgate/body-shapes";
    private static final String DEPRECATED_HOST = "deprecated-host";
    private static final Pattern FIXED_ARRAY = Pattern.compile("\\[[0-9]+\\](.+)");

    private static final Map<String, BodyShape> SHAPES = load();
    private static final KnownKeys KEYS = keysOf(SHAPES.values());

    private BodyShapes() {
    }

    /** The shape of that name (container-create, exec-create, service-spec...). */
    public static BodyShape named(String name) {
        BodyShape shape = SHAPES.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no body shape named '" + name + "'; there are " + SHAPES.keySet());
        }
        return shape;
    }

    /** The names of all shapes, in the file's order. */
    public static Set<String> names() {
        return SHAPES.keySet();
    }

    /** Every field name of every shape, for the reader: a key spelled as one is read as that (interned) String. */
    public static KnownKeys keys() {
        return KEYS;
    }

    private static KnownKeys keysOf(Collection<BodyShape> shapes) {
        Set<String> names = new HashSet<>();
        List<BodyShape> todo = new ArrayList<>(shapes);
        Set<BodyShape> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            BodyShape shape = todo.remove(todo.size() - 1);
            if (!seen.add(shape)) {
                continue;
            }
            for (BodyShape.Field field : shape.fields()) {
                names.add(field.name());
                todo.add(field.shape());
            }
            if (shape.element() != null) {
                todo.add(shape.element());
            }
        }
        return new KnownKeys(names);
    }

    private static Map<String, BodyShape> load() {
        try (InputStream in = BodyShapes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Parser().parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the file's lines, then builds each shape from its struct lines on first use. */
    static final class Parser {
        private record Line(int number, String[] words) {}

        private final Map<String, String> shapeTypes = new LinkedHashMap<>();
        private final Map<String, List<Line>> structs = new HashMap<>();
        private final Map<String, BodyShape> built = new HashMap<>();
        private final Set<String> building = new HashSet<>();

        Map<String, BodyShape> parse(List<String> lines) {
            List<Line> current = null;
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i);
                int hash = text.indexOf('#');
                String content = (hash < 0 ? text : text.substring(0, hash)).stripTrailing();
                if (content.isBlank()) {
                    continue;
                }
                String[] words = content.trim().split("\\s+");
                Line line = new Line(i + 1, words);
                boolean indented = Character.isWhitespace(content.charAt(0));
                if (indented) {
                    if (current == null) {
                        throw bad(line, "a field outside any struct");
                    }
                    current.add(line);
                } else if (words[0].equals("shape") && words.length == 3) {
                    shapeTypes.put(words[1], words[2]);
                    current = null;
                } else if (words[0].equals("struct") && words.length == 2) {
                    current = new ArrayList<>();
                    if (structs.put(words[1], current) != null) {
                        throw bad(line, "struct " + words[1] + " is defined twice");
                    }
                } else {
                    throw bad(line, "expected 'shape NAME TYPE' or 'struct NAME'");
                }
            }
            Map<String, BodyShape> shapes = new LinkedHashMap<>();
            shapeTypes.forEach((name, type) -> shapes.put(name, type(type, null)));
            return java.util.Collections.unmodifiableMap(shapes);
        }

        private BodyShape type(String type, Line where) {
            switch (type) {
                case "string": return BodyShape.string();
                case "bool": return BodyShape.bool();
                case "any": return BodyShape.any();
                case "strslice": return BodyShape.strSlice();
                case "int": case "int64": return BodyShape.signed(type, 64);
                case "uint": case "uint64": return BodyShape.unsigned(type, 64);
                case "uint16": return BodyShape.unsigned(type, 16);
                case "uint32": return BodyShape.unsigned(type, 32);
                case "float32": case "float64": return BodyShape.floating(type);
                default: break;
            }
            if (type.startsWith("[]")) {
                return BodyShape.array(type(type.substring(2), where));
            }
            Matcher fixed = FIXED_ARRAY.matcher(type);
            if (fixed.matches()) {
                return BodyShape.array(type(fixed.group(1), where)); // Go drops extra elements, zeroes missing ones
            }
            if (type.startsWith("map[string]")) {
                return BodyShape.map(type(type.substring("map[string]".length()), where));
            }
            return struct(type, where);
        }

        private BodyShape struct(String name, Line where) {
            BodyShape done = built.get(name);
            if (done != null) {
                return done;
            }
            List<Line> lines = structs.get(name);
            if (lines == null) {
                throw where == null ? new IllegalStateException(RESOURCE + ": unknown type " + name)
                        : bad(where, "unknown type " + name);
            }
            if (!building.add(name)) {
                throw bad(where, "struct " + name + " contains itself");
            }
            List<BodyShape.Field> fields = new ArrayList<>();
            for (Line line : lines) {
                String[] w = line.words();
                boolean deprecated = w.length == 3 && w[2].equals(DEPRECATED_HOST);
                if (w.length != 2 && !deprecated) {
                    throw bad(line, "expected 'FIELD TYPE', 'embed STRUCT', either followed by " + DEPRECATED_HOST);
                }
                if (w[0].equals("embed")) {
                    // Go flattens an embedded struct's fields into this one; none of these structs has two
                    // fields of one name at one depth, which Go would drop (BodyShape refuses folded twins).
                    for (BodyShape.Field inner : struct(w[1], line).fields()) {
                        fields.add(new BodyShape.Field(inner.name(), inner.shape(),
                                deprecated || inner.deprecatedTopLevelHost()));
                    }
                } else {
                    // Interned: the very String the checks spell the field with, so looking one up finds it at once.
                    fields.add(new BodyShape.Field(w[0].intern(), type(w[1], line), deprecated));
                }
            }
            building.remove(name);
            BodyShape shape;
            try {
                shape = BodyShape.struct(name, fields);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + ": " + e.getMessage(), e);
            }
            built.put(name, shape);
            return shape;
        }

        private static IllegalStateException bad(Line line, String what) {
            return new IllegalStateException(RESOURCE + ":" + line.number() + ": " + what);
        }
    }
}
