package dockgate.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A slow reader must hold the daemon back instead of making the gateway buffer, on any listener: the
 * stand-in daemon writes 64 MiB of a known pattern as fast as it can, the client reads nothing until the
 * daemon's writes have stalled, then reads it all and checks every byte.
 */
public final class SlowReaderCase {

    private static final int TOTAL = 64 * 1024 * 1024;
    private static final int BLOCK = 64 * 1024;

    private final AtomicLong written = new AtomicLong();

    /** The daemon's side: one 200 answer of the pattern, counting what it got written. */
    public StandInDaemon.Responder daemon() {
        return (request, connection) -> {
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + TOTAL + "\r\n\r\n");
            byte[] block = new byte[BLOCK];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) i;
            }
            for (int sent = 0; sent < TOTAL; sent += block.length) {
                connection.write(block);
                written.addAndGet(block.length);
            }
        };
    }

    /** The client's side, on a connection to the gateway. */
    public void readSlowly(RawClient client) throws IOException {
        // An image inspect passes as it comes; a container inspect would be read whole, to be redacted.
        client.send("GET /v1.41/images/abc/json HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, client.readHead().status());
        // The client reads nothing; the daemon's writes must stall well short of the whole body.
        long stalledAt = Quiescence.awaitStill("the daemon stops writing", written::get, Duration.ofMillis(500), Duration.ofSeconds(20));
        assertTrue(stalledAt < 32L * 1024 * 1024, "the daemon got " + stalledAt + " bytes out to a client reading nothing");
        byte[] buffer = new byte[256 * 1024];
        long received = 0;
        int n;
        while (received < TOTAL && (n = client.input().read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] != (byte) ((received + i) % BLOCK)) {
                    fail("byte " + (received + i) + " was corrupted");
                }
            }
            received += n;
        }
        assertEquals(TOTAL, received);
    }
}
