package dockgate.guard;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference as the daemon normalises it: {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code team/app:1} is {@code docker.io/team/app:1}, {@code localhost:5000/app} keeps its registry.
 */
public final class ImageReference {

    /** What the daemon would take for an image id or a prefix of one, rather than a name. */
    private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[0-9a-f]{1,64}");
    /** Name components, an optional tag, an optional digest: Docker's reference grammar, loosely. */
    private static final Pattern REFERENCE = Pattern.compile(
            "[a-zA-Z0-9.:-]+(/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@[a-z0-9]+:[a-fA-F0-9]{32,})?");

    private ImageReference() {
    }

    /**
     * The normalised reference, {@code registry/path:tag} or {@code registry/path@digest}; null when
     * {@code raw} is not one the daemon reads as a name only (an image id, a prefix of one, malformed).
     */
    public static String normalise(String raw) {
        if (raw == null || raw.isEmpty() || IMAGE_ID.matcher(raw).matches() || !REFERENCE.matcher(raw).matches()) {
            return null;
        }
        String[] parts = split(raw);
        String name = parts[0];
        String version = parts[1].isEmpty() ? ":latest" : parts[1];
        String repository = repository(name);
        return repository == null ? null : repository + version;
    }

    /** A reference as its name and its version: {@code ":tag"}, {@code "@digest"}, both, or "" for none. */
    static String[] split(String reference) {
        String name = reference;
        String version = "";
        int at = name.indexOf('@');
        if (at >= 0) {
            version = name.substring(at);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            version = name.substring(colon) + version;
            name = name.substring(0, colon);
        }
        return new String[] {name, version};
    }

    /**
     * A repository name with its registry made explicit ({@code docker.io/library/} for official images),
     * or null when its path is not lower case. Stars in patterns pass through as any other character.
     */
    static String repository(String name) {
        int first = name.indexOf('/');
        String head = first < 0 ? "" : name.substring(0, first);
        boolean hasRegistry = first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost"));
        String registry = !hasRegistry || head.equals("index.docker.io") ? "docker.io" : head;
        String path = hasRegistry ? name.substring(first + 1) : name;
        if (path.isEmpty() || !path.equals(path.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (registry.equals("docker.io") && path.indexOf('/') < 0 && !path.startsWith("*")) {
            path = "library/" + path;
        }
        return registry + "/" + path;
    }
}
