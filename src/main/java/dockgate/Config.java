package dockgate;

import dockgate.access.AllowedClients;
import dockgate.access.TlsFiles;
import dockgate.policy.Policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a running gateway needs, fixed at start.
 *
 * @param listenHost      address the Docker API is served on
 * @param listenPort      TCP port; 0 picks a free one (tests)
 * @param socket          the Docker daemon's Unix socket
 * @param policy          the rules that decide each call
 * @param upstreamTimeout how long the daemon may take to start answering a call before the client gets 504;
 *                        streams are never cut once their response has started
 * @param limits          what one client may ask of the gateway
 * @param allowFrom       the client addresses that may connect at all
 * @param tls             the front end's certificate and key, and the CA for client certificates; null for
 *                        plain HTTP
 * @param auditRules      null to enforce the rules; otherwise audit mode: every call is forwarded, and the
 *                        rules that would allow the traffic seen are written to this file
 */
public record Config(String listenHost, int listenPort, Path socket, Policy policy, Duration upstreamTimeout,
                     Limits limits, AllowedClients allowFrom, TlsFiles tls, Path auditRules) {

    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    /** The defaults a plain {@code dockgate} run uses, for the given address, daemon and rules. */
    public static Config defaults(String listenHost, int listenPort, Path socket, Policy policy) {
        return new Config(listenHost, listenPort, socket, policy, DEFAULT_UPSTREAM_TIMEOUT, Limits.DEFAULTS,
                defaultAllowFrom(listenHost), null, null);
    }

    /** Loopback only when listening on loopback; otherwise the operator has chosen to expose it. */
    public static AllowedClients defaultAllowFrom(String listenHost) {
        try {
            return InetAddress.getByName(listenHost).isLoopbackAddress()
                    ? AllowedClients.parse(AllowedClients.LOOPBACK)
                    : AllowedClients.anyone();
        } catch (UnknownHostException e) {
            return AllowedClients.parse(AllowedClients.LOOPBACK);
        }
    }

    public Config withUpstreamTimeout(Duration timeout) {
        return new Config(listenHost, listenPort, socket, policy, timeout, limits, allowFrom, tls, auditRules);
    }

    public Config withLimits(Limits newLimits) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, newLimits, allowFrom, tls, auditRules);
    }

    public Config withAllowFrom(AllowedClients clients) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, limits, clients, tls, auditRules);
    }

    public Config withTls(TlsFiles files) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, limits, allowFrom, files, auditRules);
    }

    /** Audit mode, learning into the given file; null enforces the rules. */
    public Config withAuditRules(Path file) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, limits, allowFrom, tls, file);
    }
}
