package dockgate.access;

import io.undertow.server.OpenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.ssl.SslConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns away clients outside the allowed address ranges as they connect, before a byte of their request
 * is read: a plain-HTTP client gets a canned 403, a TLS client just a closed connection.
 */
public final class ClientGate implements ChannelListener<StreamConnection> {

    private static final Logger log = LoggerFactory.getLogger(ClientGate.class);
    private static final String BODY = "{\"message\":\"dockgate: this client address may not use the gateway\"}\n";
    private static final byte[] REFUSAL = ("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);

    private final AllowedClients allowed;
    private final OpenListener next;

    public ClientGate(AllowedClients allowed, OpenListener next) {
        this.allowed = allowed;
        this.next = next;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        if (peer == null || allowed.allows(peer.getAddress())) {
            next.handleEvent(connection);
            return;
        }
        log.warn("refused connection from {}: not in --allow-from {}", peer.getAddress().getHostAddress(), allowed);
        if (!(connection instanceof SslConnection)) {
            try {
                // One small write into a fresh socket buffer; if it does not fit, closing says enough.
                connection.getSinkChannel().write(ByteBuffer.wrap(REFUSAL));
                connection.getSinkChannel().shutdownWrites();
                connection.getSinkChannel().flush();
            } catch (IOException ignored) {
                // the client is gone already
            }
        }
        IoUtils.safeClose(connection);
    }
}
