package dockgate.server;

import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;

/**
 * How the log names a connection's client: "address:port" for TCP, worked out on first use; a listener whose
 * clients have no address (a Unix socket) names them itself, e.g. "unix:pid=123,uid=0".
 */
public final class ClientLabel {

    static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);

    private ClientLabel() {
    }

    public static boolean isSet(ServerConnection connection) {
        return connection.getAttachment(KEY) != null;
    }

    public static void set(ServerConnection connection, String label) {
        connection.putAttachment(KEY, label);
    }
}
