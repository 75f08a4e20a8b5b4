package dockgate;

import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Policy;

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
 * @param policy          the rules that decide each call
 * @param upstreamTimeout how long the daemon may take to start answering a call before the client gets 504;
 *                        streams are never cut once their response has started
 * @param limits          what one client may ask of the gateway
 * @param allowFrom       the client addresses that may connect at all
 * @param tls             the front end's certificate and key, and the CA for client certificates; null for
 *                        plain HTTP
 */
public record Config(List<Listener> listeners, Path socket, Policy policy, Duration upstreamTimeout,
                     Limits limits, AllowedClients allowFrom, TlsFiles tls) {

    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    public Config {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
    }

    /** The defaults a plain {@code dockgate} run uses, for the given address, daemon and rules. */
    public static Config defaults(String listenHost, int listenPort, Path socket, Policy policy) {
        return new Config(List.of(Listener.tcp(listenHost, listenPort)), socket, policy, DEFAULT_UPSTREAM_TIMEOUT,
                Limits.DEFAULTS, defaultAllowFrom(listenHost), null);
    }

    /** Loopback only when listening on loopback; otherwise the operator has chosen to expose it. */
    public static AllowedClients defaultAllowFrom(String listenHost) {
        return defaultAllowFrom(List.of(Listener.tcp(listenHost, 0)));
    }

    /** Loopback only when every TCP listener is on loopback; a Unix socket is guarded by its file mode instead. */
    public static AllowedClients defaultAllowFrom(List<Listener> listeners) {
        for (Listener listener : listeners) {
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

    public Config withUpstreamTimeout(Duration timeout) {
        return new Config(listeners, socket, policy, timeout, limits, allowFrom, tls);
    }

    public Config withLimits(Limits newLimits) {
        return new Config(listeners, socket, policy, upstreamTimeout, newLimits, allowFrom, tls);
    }

    public Config withAllowFrom(AllowedClients clients) {
        return new Config(listeners, socket, policy, upstreamTimeout, limits, clients, tls);
    }

    public Config withListeners(List<Listener> newListeners) {
        return new Config(newListeners, socket, policy, upstreamTimeout, limits, allowFrom, tls);
    }

    public Config withTls(TlsFiles files) {
        return new Config(listeners, socket, policy, upstreamTimeout, limits, allowFrom, files);
    }
}
