package dockgate.server;

import dockgate.scope.Kind;

import java.util.List;
import java.util.function.Function;
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

    /** An inspect call: its path, and how the daemon words the absence of what it names. */
    private record Read(Pattern path, Function<String, String> message) {
        Read(String path, Function<String, String> message) {
            this(Pattern.compile("(?:/v[0-9]+\\.[0-9]+)?" + path), message);
        }

        Read(String path, Kind kind) {
            this(path, kind::notFound);
        }
    }

    private static final List<Read> READS = List.of(
            new Read("/containers/(.+)/json", Kind.CONTAINERS),
            new Read("/images/(.+)/json", Kind.IMAGES),
            new Read("/exec/(.+)/json", name -> "No such exec instance: " + name),
            new Read("/plugins/(.+)/json", name -> "plugin \"" + name + "\" not found"),
            new Read("/networks/([^/]+)", Kind.NETWORKS),
            new Read("/volumes/([^/]+)", Kind.VOLUMES),
            new Read("/services/([^/]+)", Kind.SERVICES),
            new Read("/tasks/([^/]+)", Kind.TASKS),
            new Read("/nodes/([^/]+)", Kind.NODES),
            new Read("/secrets/([^/]+)", Kind.SECRETS),
            new Read("/configs/([^/]+)", Kind.CONFIGS));

    private NotFoundAnswer() {
    }

    /** What the daemon would say of a missing object for this call, or null when it is no single-object read. */
    static String forRead(String method, String canonicalPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return null;
        }
        for (Read read : READS) {
            Matcher m = read.path.matcher(canonicalPath);
            if (m.matches()) {
                return read.message.apply(m.group(1));
            }
        }
        return null;
    }
}
