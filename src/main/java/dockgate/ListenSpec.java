package dockgate;

import java.nio.file.Path;

/**
 * One place the API is served: a TCP address ({@code host}, {@code port}) or a Unix socket file ({@code path}).
 *
 * @param host    TCP address; null for a Unix socket
 * @param port    TCP port, 0 picks a free one (tests); 0 for a Unix socket
 * @param path    the Unix socket file; null for TCP
 * @param mode    the socket file's permission bits (e.g. 0660); 0 for TCP
 * @param group   the socket file's group, a name or a numeric gid; null keeps dockgate's own group
 * @param profile the named rules profile asked for on this listener; null for the rules in use
 */
public record ListenSpec(String host, int port, Path path, int mode, String group, String profile) {

    /** A Unix socket's file mode when none is asked for: only dockgate's own user may connect. */
    public static final int DEFAULT_MODE = 0600;

    public static ListenSpec tcp(String host, int port) {
        return new ListenSpec(host, port, null, 0, null, null);
    }

    public static ListenSpec unix(Path path, int mode, String group) {
        return new ListenSpec(null, 0, path, mode, group, null);
    }

    public boolean isUnix() {
        return path != null;
    }

    public ListenSpec withProfile(String name) {
        return new ListenSpec(host, port, path, mode, group, name);
    }

    /** As the user would write it: {@code 127.0.0.1:2375}, {@code [::1]:2375}, {@code unix:/run/dockgate.sock}. */
    @Override
    public String toString() {
        if (isUnix()) {
            return "unix:" + path;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
