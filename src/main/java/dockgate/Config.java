package dockgate;

import dockgate.server.Limits;
import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a running gateway needs, fixed at start.
 *
 * @param listeners       where the Docker API is served: TCP addresses and Unix socket files, at least one
 * @param socket          the Docker daemon's Unix socket
 * @param rules           the rules that decide each call, as loaded at start; a reload replaces them in
 *                        the running gateway ({@link Gateway#rules()}), not here
 * @param daemonTimeout how long the daemon may take to start answering a call before the client gets 504;
 *                        streams are never cut once their response has started
 * @param limits          what one client may ask of the gateway
 * @param allowFrom       the client addresses that may connect at all
 * @param tls             the front end's certificate and key, and the CA for client certificates; null for
 *                        plain HTTP
 * @param admin           where to serve /health, /metrics and the status page; null for nowhere
 * @param auditRules      null to enforce the rules; otherwise audit mode: every call some rule could allow
 *                        is forwarded, and the rules that would allow the traffic seen are written to this file
 */
public record Config(List<ListenSpec> listeners, Path socket, Rulebook rules, Duration daemonTimeout,
                     Limits limits, AllowedClients allowFrom, TlsFiles tls, ListenAddress admin,
                     Path auditRules) {

    public static final Duration DEFAULT_DAEMON_TIMEOUT = Duration.ofSeconds(60);

    public Config {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
    }

    /** The defaults a plain {@code dockgate} run uses, for the given address, daemon and rules. */
    public static Config defaults(String listenHost, int listenPort, Path socket, Rulebook rules) {
        return new Config(List.of(ListenSpec.tcp(listenHost, listenPort)), socket, rules, DEFAULT_DAEMON_TIMEOUT,
                Limits.DEFAULTS, defaultAllowFrom(listenHost), null, null, null);
    }

    /** As above, for rules without profiles: they are the default profile. */
    public static Config defaults(String listenHost, int listenPort, Path socket, Profile profile) {
        return defaults(listenHost, listenPort, socket, Rulebook.of(profile));
    }

    /** Loopback only when listening on loopback; otherwise the operator has chosen to expose it. */
    public static AllowedClients defaultAllowFrom(String listenHost) {
        return defaultAllowFrom(List.of(ListenSpec.tcp(listenHost, 0)));
    }

    /** Loopback only when every TCP listener is on loopback; a Unix socket is guarded by its file mode instead. */
    public static AllowedClients defaultAllowFrom(List<ListenSpec> listeners) {
        for (ListenSpec listener : listeners) {
            if (!listener.isUnix() && !isLoopback(listener.host())) {
                return AllowedClients.anyone();
            }
        }
        return AllowedClients.parse(AllowedClients.LOOPBACK);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }

    public Config withRules(Rulebook newRules) {
        return new Config(listeners, socket, newRules, daemonTimeout, limits, allowFrom, tls, admin, auditRules);
    }

    public Config withDaemonTimeout(Duration timeout) {
        return new Config(listeners, socket, rules, timeout, limits, allowFrom, tls, admin, auditRules);
    }

    public Config withLimits(Limits newLimits) {
        return new Config(listeners, socket, rules, daemonTimeout, newLimits, allowFrom, tls, admin, auditRules);
    }

    public Config withAllowFrom(AllowedClients clients) {
        return new Config(listeners, socket, rules, daemonTimeout, limits, clients, tls, admin, auditRules);
    }

    public Config withListeners(List<ListenSpec> newListeners) {
        return new Config(newListeners, socket, rules, daemonTimeout, limits, allowFrom, tls, admin, auditRules);
    }

    public Config withTls(TlsFiles files) {
        return new Config(listeners, socket, rules, daemonTimeout, limits, allowFrom, files, admin, auditRules);
    }

    public Config withAdmin(ListenAddress address) {
        return new Config(listeners, socket, rules, daemonTimeout, limits, allowFrom, tls, address, auditRules);
    }

    /** Audit mode, learning into the given file; null enforces the rules. */
    public Config withAuditRules(Path file) {
        return new Config(listeners, socket, rules, daemonTimeout, limits, allowFrom, tls, admin, file);
    }
}
