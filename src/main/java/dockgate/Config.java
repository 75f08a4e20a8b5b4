package dockgate;

import dockgate.policy.Policy;

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
 */
public record Config(String listenHost, int listenPort, Path socket, Policy policy, Duration upstreamTimeout,
                     Limits limits) {

    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    /** The defaults a plain {@code dockgate} run uses, for the given address, daemon and rules. */
    public static Config defaults(String listenHost, int listenPort, Path socket, Policy policy) {
        return new Config(listenHost, listenPort, socket, policy, DEFAULT_UPSTREAM_TIMEOUT, Limits.DEFAULTS);
    }

    public Config withUpstreamTimeout(Duration timeout) {
        return new Config(listenHost, listenPort, socket, policy, timeout, limits);
    }

    public Config withLimits(Limits newLimits) {
        return new Config(listenHost, listenPort, socket, policy, upstreamTimeout, newLimits);
    }
}
