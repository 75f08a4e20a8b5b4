package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dockgate.Gateway;
import dockgate.testing.RawClient;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients (docker-java, the CLI, Traefik) send call after call on one keep-alive connection: every one of
 * them must be answered, promptly, on that connection.
 */
@Timeout(120)
class ConnectionReuseIT {
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        It.socket();
        gateway = It.startGateway();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    @Test
    void everyRequestOnAKeepAliveConnectionIsAnswered() throws Exception {
        String[] paths = {"/_ping", "/v1.41/containers/json?all=1", "/images/json", "/v1.41/networks", "/volumes"};
        RawClient conn = new RawClient(gateway.port()).timeout(5000);
        try {
            for (int i = 1; i <= 300; i++) {
                String path = paths[i % paths.length];
                RawClient.Response r;
                try {
                    r = conn.sendGet(path).read();
                } catch (SocketTimeoutException e) {
                    fail("request #" + i + " (GET " + path + ") on a reused connection got no response within 5 s");
                    return;
                }
                assertEquals(200, r.status(), "request #" + i + " GET " + path);
                // A body ended by a close (no Content-Length, not chunked) cannot be followed by another.
                assertEquals(RawClient.End.COMPLETE, r.end(), "request #" + i + " GET " + path + " is framed: " + r);
                if ("close".equalsIgnoreCase(r.header("connection"))) { // allowed, if unusual
                    conn.close();
                    conn = new RawClient(gateway.port()).timeout(5000);
                }
            }
        } finally {
            conn.close();
        }
    }
}
