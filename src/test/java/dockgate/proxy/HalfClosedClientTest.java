package dockgate.proxy;

import dockgate.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/1.0 client that shuts its sending side once its request is out, as nc does, still gets the whole
 * of a streamed answer: its end of stream is no sign that it stopped reading.
 */
class HalfClosedClientTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    @Test
    void aStreamedAnswerReachesAClientThatHalfClosed() throws Exception {
        int port = fixture.start((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("[{\"Id\":\"first\"}");
            // Time for the gateway to act on the client's end of stream, which it has by now: a gateway that
            // took it for a client gone would drop this connection within the second.
            if (connection.awaitClosedByGateway(1000)) {
                return;
            }
            connection.chunk(",{\"Id\":\"last\"}]");
            connection.endChunked();
        }).port();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /v1.41/containers/json HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
            }
            String answer = got.toString(StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 200"), answer);
            assertTrue(answer.endsWith("[{\"Id\":\"first\"},{\"Id\":\"last\"}]"), answer);
        }
    }
}
