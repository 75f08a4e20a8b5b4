package dockgate.server;

import dockgate.admin.Metrics;
import dockgate.http.JsonError;

/**
 * A request dockgate refuses: the status and message the client gets, and the reason the log and the status
 * page give, which may say more than the client is told.
 */
record Refusal(int status, String message, String reason) {

    /** A refusal whose reason is what the client is told. */
    Refusal(int status, String message) {
        this(status, message, message);
    }

    /**
     * How the metrics and the access log count it: malformed (400), denied by the rules (403, or 404 for an
     * inspect answered as the daemon answers a missing object), or over a limit.
     */
    Metrics.Outcome outcome() {
        return status == 400 ? Metrics.Outcome.REJECT : status == 403 || status == 404 ? Metrics.Outcome.DENY
                : Metrics.Outcome.LIMIT;
    }

    /**
     * The message as the client gets it: dockgate's own, marked as such; a not-found (404) is in the
     * daemon's words, so that clients read it as they read the daemon's.
     */
    String toClient() {
        return status == 404 ? message : JsonError.PREFIX + message;
    }
}
