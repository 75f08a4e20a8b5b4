package dockgate.server;

import java.time.Duration;

/**
 * What one client may ask of the gateway. Each limit, when hit, gets a clear status and a log line.
 *
 * @param maxTargetLength bytes in the request target (path and query): 414 beyond
 * @param maxHeaderBytes  bytes in all request headers together: 431 beyond
 * @param maxHeaders      number of request headers: 431 beyond
 * @param maxBodyBytes    bytes in a request body: 413 beyond
 * @param maxJsonBodyBytes bytes in a JSON body, which is read whole to be checked: 413 beyond
 * @param headTimeout     time to receive a request's head once it has begun; the connection is closed beyond
 * @param idleTimeout     time a kept-alive connection may wait for its next request; closed beyond
 * @param maxConnections  client connections at once: 503 and close beyond
 * @param maxStreams      responses streaming at once (events, logs that follow): 503 beyond
 */
public record Limits(int maxTargetLength, int maxHeaderBytes, int maxHeaders, long maxBodyBytes,
                     Duration headTimeout, Duration idleTimeout, int maxConnections, int maxStreams,
                     long maxJsonBodyBytes) {

    /**
     * A JSON body is read whole before it is checked and sent on: 1 MiB is far above any create or service
     * spec, and small enough that a thousand calls at once cost little.
     */
    static final long DEFAULT_MAX_JSON_BODY = 1024 * 1024;

    public static final Limits DEFAULTS = new Limits(8 * 1024, 16 * 1024, 100, 16L * 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(120), 4096, 2048, DEFAULT_MAX_JSON_BODY);

    /** The limits with the default for JSON bodies. */
    public Limits(int maxTargetLength, int maxHeaderBytes, int maxHeaders, long maxBodyBytes, Duration headTimeout,
                  Duration idleTimeout, int maxConnections, int maxStreams) {
        this(maxTargetLength, maxHeaderBytes, maxHeaders, maxBodyBytes, headTimeout, idleTimeout, maxConnections,
                maxStreams, DEFAULT_MAX_JSON_BODY);
    }
}
