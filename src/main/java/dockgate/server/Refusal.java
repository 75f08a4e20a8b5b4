package dockgate.server;

import dockgate.admin.Metrics;

/**
 * A request dockgate refuses: the status and message the client gets, and the reason the log and the status
 * page give, which may say more than the client is told.
 */
record Refusal(int status, String message, String reason) {

    /** A refusal whose reason is what the client is told. */
    Refusal(int status, String message) {
        this(status, message, message);
    }

    /** How the metrics and the access log count it: malformed (400), denied by the rules (403), or over a limit. */
    Metrics.Outcome outcome() {
        return status == 400 ? Metrics.Outcome.REJECT : status == 403 ? Metrics.Outcome.DENY : Metrics.Outcome.LIMIT;
    }
}
