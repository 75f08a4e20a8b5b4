package dockgate.scope;

import java.util.List;

/**
 * A kind of object a scope can hold: how the rules name it, how its inspect is asked for, where its labels
 * and its id are in that answer, and how the daemon words its absence.
 */
public enum Kind {

    CONTAINERS("/containers/%s/json", List.of("Config", "Labels"), "Id", "No such container: %s"),
    IMAGES("/images/%s/json", List.of("Config", "Labels"), "Id", "no such image: %s: No such image: %s"),
    NETWORKS("/networks/%s", List.of("Labels"), "Id", "network %s not found"),
    VOLUMES("/volumes/%s", List.of("Labels"), "Name", "get %s: no such volume"),
    SERVICES("/services/%s", List.of("Spec", "Labels"), "ID", "service %s not found"),
    TASKS("/tasks/%s", List.of("Labels"), "ID", "task %s not found"),
    NODES("/nodes/%s", List.of("Spec", "Labels"), "ID", "node %s not found"),
    SECRETS("/secrets/%s", List.of("Spec", "Labels"), "ID", "secret %s not found"),
    CONFIGS("/configs/%s", List.of("Spec", "Labels"), "ID", "config %s not found");

    private final String inspect;
    private final List<String> labels;
    private final String id;
    private final String notFound;

    Kind(String inspect, List<String> labels, String id, String notFound) {
        this.inspect = inspect;
        this.labels = labels;
        this.id = id;
        this.notFound = notFound;
    }

    /** The rules' word for it: {@code containers}, {@code volumes}... */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How messages name one: {@code container}, {@code volume}... */
    public String singular() {
        String word = word();
        return word.substring(0, word.length() - 1);
    }

    /** The kind a rules word names. */
    public static Kind of(String word) {
        for (Kind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind of object '" + word + "' (expected "
                + String.join(", ", java.util.Arrays.stream(values()).map(Kind::word).toList()) + ")");
    }

    /** The path that inspects one, given its name or id as it appears in a canonical path (still encoded). */
    public String inspectPath(String object) {
        return inspect.formatted(object);
    }

    /** The route of its inspect, as the route table writes it: {@code /containers/{id}/json}. */
    public String inspectTemplate() {
        return inspect.formatted(this == IMAGES ? "{name}" : "{id}");
    }

    /** The members that lead from an inspect answer to the object's labels. */
    public List<String> labelsPath() {
        return labels;
    }

    /** The member of an inspect answer that holds what names the object for good (its id, a volume's name). */
    public String idField() {
        return id;
    }

    /** What the daemon answers, 404, for an object of this kind it does not have (as dockerd 20.10 words it). */
    public String notFound(String object) {
        if (this == IMAGES) {
            // The daemon names the reference it looked for too: a name without tag or digest as name:latest.
            boolean tagged = object.contains("@") || object.substring(object.lastIndexOf('/') + 1).contains(":");
            return notFound.formatted(object, tagged ? object : object + ":latest");
        }
        return notFound.formatted(object);
    }
}
