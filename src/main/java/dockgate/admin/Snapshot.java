package dockgate.admin;

import dockgate.policy.RulesInForce;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The gateway's state at one moment, read once per admin request and rendered by the pages. */
record Snapshot(String version, Instant started, Instant now, Path socket, DaemonHealth.Status daemon,
                RulesInForce rules, int clientConnections, int streamsOpen, int daemonConnections,
                int idleDaemonConnections, long bytesFromClient, long bytesToClient) {

    /** Healthy: the daemon answers and rules are in force. */
    boolean healthy() {
        return daemon.answer().answered() && rules.loaded();
    }

    Duration uptime() {
        return Duration.between(started, now);
    }
}
