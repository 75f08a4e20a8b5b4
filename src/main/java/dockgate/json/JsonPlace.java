package dockgate.json;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The places of a document where {@link StringRewriter} replaces strings, as a tree: the members an object
 * place follows, each matched to its key as Go matches a key to a struct field (without regard to case, ſ as
 * S, the Kelvin sign as K), so that no spelling a Go client would read as the field escapes; the items of
 * an array place; and at a string place, the edit. Written as paths: {@code Config.Env[]} is every item of
 * the {@code Env} member of the {@code Config} member; {@code [].Spec} the {@code Spec} member of every item.
 */
public final class JsonPlace {

    private final Map<String, JsonPlace> members;
    private final JsonPlace items;
    private final UnaryOperator<String> edit;

    private JsonPlace(Map<String, JsonPlace> members, JsonPlace items, UnaryOperator<String> edit) {
        this.members = members;
        this.items = items;
        this.edit = edit;
    }

    /**
     * The places of these paths, each with the edit of the string found there: the edit returns the string
     * to write in its place, or null to leave it as it is.
     */
    public static JsonPlace of(Map<String, UnaryOperator<String>> edits) {
        Node root = new Node();
        edits.forEach((path, edit) -> {
            Node at = root;
            for (String segment : path.split("\\.", -1)) {
                String name = segment;
                int arrays = 0;
                while (name.endsWith("[]")) {
                    name = name.substring(0, name.length() - 2);
                    arrays++;
                }
                if (!name.isEmpty()) {
                    at = at.members.computeIfAbsent(GoKeyFold.fold(name), k -> new Node());
                } else if (at != root || arrays == 0) {
                    throw new IllegalArgumentException("a path with an empty member name: " + path);
                }
                for (int i = 0; i < arrays; i++) {
                    at = at.items == null ? (at.items = new Node()) : at.items;
                }
                if (at.edit != null) {
                    throw new IllegalArgumentException("a path inside another: " + path);
                }
            }
            if (at.edit != null || !at.members.isEmpty() || at.items != null) {
                throw new IllegalArgumentException("a path given twice, or inside another: " + path);
            }
            at.edit = edit;
        });
        return root.freeze();
    }

    /** The place of the member whose key Go folds to {@code foldedKey}, or null when it is not a place. */
    JsonPlace member(String foldedKey) {
        return members.get(foldedKey);
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    JsonPlace items() {
        return items;
    }

    UnaryOperator<String> edit() {
        return edit;
    }

    /** The tree as it is built; frozen once whole, so a place is never changed after. */
    private static final class Node {
        final Map<String, Node> members = new HashMap<>();
        Node items;
        UnaryOperator<String> edit;

        JsonPlace freeze() {
            Map<String, JsonPlace> frozen = new HashMap<>();
            members.forEach((key, node) -> frozen.put(key, node.freeze()));
            return new JsonPlace(Map.copyOf(frozen), items == null ? null : items.freeze(), edit);
        }
    }
}
