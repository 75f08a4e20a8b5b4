package dockgate.server;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's own not-found answer for a single-object read the gateway will not forward: an inspect the
 * rules deny, or one of a name that can never exist (a container name with '/' or ':'). The docker CLI's
 * {@code inspect NAME} asks for each kind of object in turn and goes on only past a 404, so a 403 there
 * would end {@code docker inspect IMAGE} at its first step; and a denied inspect then tells a client no
 * more than a missing object would, not even that the object exists.
 */
final class NotFoundAnswer {

    /** A kind of object: the path of its inspect call, and how the daemon words its absence. */
    private record Kind(Pattern path, String message) {
        Kind(String path, String message) {
            this(Pattern.compile("(?:/v[0-9]+\\.[0-9]+)?" + path), message);
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("/containers/(.+)/json", "No such container: %s"),
            new Kind("/images/(.+)/json", "No such image: %s"),
            new Kind("/exec/(.+)/json", "No such exec instance: %s"),
            new Kind("/plugins/(.+)/json", "plugin \"%s\" not found"),
            new Kind("/networks/([^/]+)", "network %s not found"),
            new Kind("/volumes/([^/]+)", "get %s: no such volume"),
            new Kind("/services/([^/]+)", "service %s not found"),
            new Kind("/tasks/([^/]+)", "task %s not found"),
            new Kind("/nodes/([^/]+)", "node %s not found"),
            new Kind("/secrets/([^/]+)", "secret %s not found"),
            new Kind("/configs/([^/]+)", "config %s not found"));

    private NotFoundAnswer() {
    }

    /** What the daemon would say of a missing object for this call, or null when it is no single-object read. */
    static String forRead(String method, String canonicalPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return null;
        }
        for (Kind kind : KINDS) {
            Matcher m = kind.path.matcher(canonicalPath);
            if (m.matches()) {
                return kind.message.formatted(m.group(1));
            }
        }
        return null;
    }
}
