package dockgate.admin;

import dockgate.policy.RulesInForce;

import java.time.Duration;
import java.time.Instant;

/** The gateway's state at one moment, read once per admin request and rendered by the pages. */
record Snapshot(String version, Instant started, Instant now, DaemonHealth.Status daemon, RulesInForce rules,
                int clientConnections, DaemonSideCounts daemonSide) {

    /** Healthy: the daemon answers and rules are in force. */
    boolean healthy() {
        return daemon.answer().answered() && rules.loaded();
    }

    Duration uptime() {
        return Duration.between(started, now);
    }
}
