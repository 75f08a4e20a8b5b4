package dockgate.scope;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a profile may see and touch: the objects of its kinds that carry every one of its labels. An owner
 * scope is one label, the owner's, that every container, volume and network the profile creates is stamped
 * with; its images are shared (it may run any), but it may not re-point or remove a tag another owner holds.
 *
 * @param labels the labels an object must carry, all of them
 * @param kinds  the kinds of object the scope holds; objects of other kinds are seen unscoped
 * @param owner  the owner's label, one of {@code labels}; null when the profile stamps nothing
 */
public record Scope(List<ScopeLabel> labels, Set<Kind> kinds, ScopeLabel owner) {

    /** The label an owner is written into when the rules give a name alone: {@code owner=alpha}. */
    public static final String OWNER_KEY = "dockgate.owner";

    /** What an owner scope holds: what it creates. Images stay shared, services and the rest are not scoped. */
    static final Set<Kind> OWNED = EnumSet.of(Kind.CONTAINERS, Kind.VOLUMES, Kind.NETWORKS, Kind.SERVICES, Kind.TASKS);

    public Scope {
        labels = List.copyOf(labels);
        kinds = Set.copyOf(kinds);
        if (labels.isEmpty() || kinds.isEmpty()) {
            throw new IllegalArgumentException("a scope needs labels and kinds of object");
        }
    }

    /**
     * Reads the words of a profile line.
     *
     * @param scope the labels after {@code scope=}, comma-separated; null for none
     * @param kinds the kinds after {@code scope-kinds=}, comma-separated; null for every kind (or an owner's)
     * @param owner the text after {@code owner=}: a name ({@code dockgate.owner=NAME}) or a label KEY=VALUE; null for none
     * @return the scope, or null when the line asks for none
     */
    public static Scope of(String scope, String kinds, String owner) {
        if (scope == null && owner == null) {
            if (kinds != null) {
                throw new IllegalArgumentException("scope-kinds= needs scope= or owner= on the same line");
            }
            return null;
        }
        List<ScopeLabel> labels = new ArrayList<>();
        ScopeLabel ownerLabel = null;
        if (owner != null) {
            if (owner.isEmpty() || owner.endsWith("=")) {
                throw new IllegalArgumentException("owner= needs a name, or a label KEY=VALUE");
            }
            ownerLabel = owner.indexOf('=') < 0 ? new ScopeLabel(OWNER_KEY, owner) : ScopeLabel.parse(owner);
            labels.add(ownerLabel);
        }
        if (scope != null) {
            for (String one : scope.split(",", -1)) {
                if (one.isEmpty()) {
                    throw new IllegalArgumentException("empty label in scope=" + scope);
                }
                ScopeLabel label = ScopeLabel.parse(one);
                if (labels.stream().anyMatch(other -> other.key().equals(label.key()))) {
                    throw new IllegalArgumentException("label " + label.key() + " given twice in the scope");
                }
                labels.add(label);
            }
        }
        Set<Kind> held = EnumSet.noneOf(Kind.class);
        if (kinds == null) {
            held.addAll(ownerLabel != null ? OWNED : EnumSet.allOf(Kind.class));
        } else {
            for (String word : kinds.split(",", -1)) {
                held.add(Kind.of(word));
            }
        }
        return new Scope(labels, held, ownerLabel);
    }

    /** Whether objects of this kind are seen only within the scope. */
    public boolean holds(Kind kind) {
        return kinds.contains(kind);
    }

    /** Whether an object with these labels is within the scope. */
    public boolean contains(Map<String, String> objectLabels) {
        for (ScopeLabel label : labels) {
            if (!label.matches(objectLabels)) {
                return false;
            }
        }
        return true;
    }

    /** The label filters that keep a list within the scope, as the daemon's {@code label} filter writes them. */
    public List<String> filters() {
        return labels.stream().map(ScopeLabel::toString).toList();
    }

    /** The words of a profile line that give this scope, as {@code --print-rules} shows them. */
    public String words() {
        StringBuilder out = new StringBuilder();
        List<ScopeLabel> others = new ArrayList<>(labels);
        if (owner != null) {
            others.remove(owner);
            out.append("owner=").append(owner.key().equals(OWNER_KEY) ? owner.value() : owner.toString());
        }
        if (!others.isEmpty()) {
            out.append(out.isEmpty() ? "" : " ").append("scope=")
                    .append(String.join(",", others.stream().map(ScopeLabel::toString).toList()));
        }
        Set<Kind> defaults = owner != null ? OWNED : EnumSet.allOf(Kind.class);
        if (!kinds.equals(defaults)) {
            out.append(" scope-kinds=").append(String.join(",", kinds.stream().sorted().map(Kind::word).toList()));
        }
        return out.toString();
    }

    /** For log lines and refusals: {@code dockgate.owner=alpha} or {@code a=1, b}. */
    public String describe() {
        return String.join(", ", filters());
    }
}
