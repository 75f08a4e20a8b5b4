package dockgate.proxy;

import dockgate.testing.GatewayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        CountDownLatch headRead = new CountDownLatch(1);
        int port = fixture.start((request, connection) -> {
            connection.startChunked(200, "Content-Type: application/json\r\n");
            connection.chunk("[{\"Id\":\"first\"}");
            // The rest only once the client has read the start: by then the gateway has seen its end of stream.
            if (headRead.await(10, TimeUnit.SECONDS)) {
                connection.chunk(",{\"Id\":\"last\"}]");
            }
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
                if (got.toString(StandardCharsets.UTF_8).contains("first")) {
                    headRead.countDown();
                }
            }
            String answer = got.toString(StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 200"), answer);
            assertTrue(answer.endsWith("[{\"Id\":\"first\"},{\"Id\":\"last\"}]"), answer);
        }
    }
}
