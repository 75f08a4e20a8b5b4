package dockgate.guard;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A host path as text, cleaned as Go's {@code path.Clean} cleans it: {@code //}, {@code .} and {@code ..}
 * resolved lexically. Symbolic links on the host are not followed: dockgate cannot see the host's files,
 * so an allowed directory must hold no link that leads out of it.
 */
public record HostPath(String path) {

    /** The cleaned form of an absolute path; null when {@code raw} is not absolute. */
    public static HostPath of(String raw) {
        if (raw == null || !raw.startsWith("/")) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
                continue;
            }
            parts.addLast(part);
        }
        return new HostPath("/" + String.join("/", parts));
    }

    /** Whether {@code other} is this path or below it. */
    public boolean contains(HostPath other) {
        return path.equals("/") || other.path.equals(path) || other.path.startsWith(path + "/");
    }

    @Override
    public String toString() {
        return path;
    }
}
