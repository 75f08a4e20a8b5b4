package dockgate.admin;

import java.nio.file.Path;

/**
 * What the admin pages show of the daemon side at one moment, filled in by the composition root, so that
 * the admin listener needs nothing of the proxy itself.
 *
 * @param socket          the daemon's socket file
 * @param openStreams     responses relayed as streams right now
 * @param connections     daemon connections open, busy or idle
 * @param idleConnections of those, the ones idle in the pool
 * @param bytesFromClient request body bytes relayed to the daemon so far
 * @param bytesToClient   response body bytes relayed to clients so far
 */
public record DaemonSideCounts(Path socket, int openStreams, int connections, int idleConnections,
                               long bytesFromClient, long bytesToClient) {

    /** The connections carrying a call or a stream; the two counts are read apart, so never below 0. */
    int busyConnections() {
        return Math.max(0, connections - idleConnections);
    }
}
