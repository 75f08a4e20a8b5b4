package dockgate.proxy;

import dockgate.Config;
import dockgate.Gateway;

import dockgate.server.Limits;
import dockgate.policy.Profile;
import dockgate.testing.CapturedStderr;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hijacked streams against a recording stand-in daemon: which upgrades may pass, and what a 101 turns into. */
class HijackStandInTest {

    /** attach is allowed but not marked hijack; exec start is. */
    private static final String RULES = "POST /containers/{id}/attach\nPOST /exec/{id}/start hijack\nGET /_ping\n";

    private static final String UPGRADED = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\nApi-Version: 1.41\r\n\r\n";

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private Gateway gateway;
    private StandInDaemon daemon;

    private void start(StandInDaemon.Responder responder, Duration timeout) throws Exception {
        start(responder, timeout, Limits.DEFAULTS);
    }

    private void start(StandInDaemon.Responder responder, Duration timeout, Limits limits) throws Exception {
        Path socket = fixture.socket();
        daemon = fixture.daemon(socket, responder);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, socket, Profile.parse("hijack-rules", RULES))
                .withDaemonTimeout(timeout).withLimits(limits));
    }

    private static final String EXEC_START = post("/v1.41/exec/abc/start", "Connection: Upgrade\r\n", "Upgrade: tcp\r\n");

    private static String post(String path, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + String.join("", headers) + "\r\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // allowed, but the rule is not marked hijack
            "POST /v1.41/containers/abc/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
            // a hijack rule, but not the tcp upgrade
            "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
            "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nUpgrade: tcp\r\n\r\n",
            "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nUpgrade: tcp\r\n\r\n",
            // no rule at all
            "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
            "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
            // HTTP/1.0 has no upgrade: Undertow would close the connection after the 101, stranding the stream
            "POST /v1.41/exec/abc/start HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
    })
    void anUpgradeOutsideAHijackRuleNeverReachesTheDaemon(String request) throws Exception {
        start(StandInDaemon.OK, Config.DEFAULT_DAEMON_TIMEOUT);
        try (RawClient client = new RawClient(gateway.port())) {
            RawClient.Response response = client.send(request).read();
            assertEquals(403, response.status());
            assertTrue(response.body().contains("connection upgrades (attach, exec, websocket, session) are not relayed"),
                    response.body());
        }
        assertTrue(daemon.requests().isEmpty(), "reached the daemon: " + daemon.requests());
    }

    @Test
    void aHijackRuleRelaysThe101AndTheRawBytesThatFollow() throws Exception {
        start((request, connection) -> {
            connection.write(UPGRADED + "raw-out");
            connection.close();
        }, Config.DEFAULT_DAEMON_TIMEOUT);
        try (RawClient client = new RawClient(gateway.port()).timeout(5000)) {
            RawClient.Response head = client.send(post("/v1.41/exec/abc/start", "Connection: Upgrade\r\n",
                    "Upgrade: tcp\r\n")).readHead();
            assertEquals(101, head.status());
            assertEquals("tcp", head.header("upgrade"));
            assertTrue(head.header("connection").equalsIgnoreCase("upgrade"), head.header("connection"));
            assertEquals("application/vnd.docker.raw-stream", head.header("content-type"));
            assertEquals("raw-out", new String(client.input().readAllBytes(), StandardCharsets.UTF_8));
        }
        StandInDaemon.Request seen = daemon.requests().get(0);
        assertEquals("tcp", seen.header("Upgrade"));
        assertEquals("Upgrade", seen.header("Connection"));
    }

    /** The access line of a stream is written when it ends, with how long it ran and its bytes each way. */
    @Test
    void aHijackedStreamsAccessLineGivesItsDurationAndBytesEachWay() throws Exception {
        try (CapturedStderr log = CapturedStderr.start()) {
            start((request, connection) -> {
                connection.write(UPGRADED + "raw-out");
                // Reads the client's bytes until its input, passed on, ends.
                connection.awaitClosedByGateway(10_000);
            }, Config.DEFAULT_DAEMON_TIMEOUT);
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(EXEC_START.getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                skipHead(in);
                socket.getOutputStream().write("stdin!".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertEquals("raw-out", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            await("the stream's access line").atMost(Duration.ofSeconds(10))
                    .until(() -> log.text().contains("hijacked from-client="));
            String text = log.text();
            assertTrue(Pattern.compile(" INFO access - 127\\.0\\.0\\.1:[0-9]+ \"POST /v1\\.41/exec/abc/start\" allow 101 7"
                    + " [0-9]+ms hijacked from-client=6 to-client=7\n").matcher(text).find(), text);
        }
    }

    /**
     * The daemon sends its output and closes; the client, a slow reader, ends its input only then. What
     * the gateway still held for it must arrive: the loss needed the daemon's end to be seen while output
     * was still queued, so a few rounds are run (without the fix, 3 of 12 such rounds lost 75-160 KB).
     */
    @Test
    void outputQueuedWhenTheDaemonEndedReachesAClientThatEndsItsInputAfterwards() throws Exception {
        int size = 4 * 1024 * 1024;
        Map<String, CountDownLatch> daemonDone = new ConcurrentHashMap<>();
        start((request, connection) -> {
            connection.write(UPGRADED);
            byte[] block = new byte[64 * 1024];
            for (int written = 0; written < size; written += block.length) {
                connection.write(block);
            }
            connection.close();
            daemonDone.get(request.target()).countDown();
        }, Config.DEFAULT_DAEMON_TIMEOUT);
        for (int round = 0; round < 8; round++) {
            String target = "/v1.41/exec/round" + round + "/start";
            CountDownLatch done = new CountDownLatch(1);
            daemonDone.put(target, done);
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(32 * 1024);
                socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(post(target, "Connection: Upgrade\r\n", "Upgrade: tcp\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                skipHead(in);
                long received = 0;
                byte[] buffer = new byte[16 * 1024];
                while (done.getCount() > 0) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    received += n;
                    Thread.sleep(1); // a slow reader, so that the gateway holds output when the daemon ends
                }
                socket.shutdownOutput();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
                assertEquals(size, received, "round " + round);
            }
        }
    }

    /**
     * The client sends its stdin and ends it while the daemon, a slow reader, has not taken it all: the end
     * is passed on only after the last byte. (Passed on at once, it failed the writes still queued for the
     * daemon, and {@code docker exec -i c cat} came back short.)
     */
    @Test
    void theEndOfTheClientsInputReachesTheDaemonAfterAllOfIt() throws Exception {
        int size = 1024 * 1024;
        start((request, connection) -> {
            connection.write(UPGRADED);
            try {
                connection.write(Long.toString(connection.readSlowlyToEnd()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
        }, Config.DEFAULT_DAEMON_TIMEOUT);
        for (int round = 0; round < 3; round++) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(EXEC_START.getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                skipHead(in);
                socket.getOutputStream().write(new byte[size]);
                socket.shutdownOutput();
                assertEquals(Integer.toString(size), new String(in.readAllBytes(), StandardCharsets.US_ASCII),
                        "bytes the daemon got, round " + round);
            }
        }
    }

    private static void skipHead(InputStream in) throws IOException {
        String end = "\r\n\r\n";
        int matched = 0;
        while (matched < end.length()) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside the response head");
            }
            matched = b == end.charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    @Test
    void theDaemonTimeoutAppliesUntilThe101ButNotAfter() throws Exception {
        start((request, connection) -> {
            if (request.target().contains("slow")) {
                connection.awaitClosedByGateway(5000);
                return;
            }
            connection.write(UPGRADED);
            // Quiet for three timeouts: a hijacked stream may idle, as a shell waiting for input does.
            assertFalse(connection.awaitClosedByGateway(600));
            connection.write("late-out");
            connection.close();
        }, Duration.ofMillis(200));
        try (RawClient client = new RawClient(gateway.port()).timeout(5000)) {
            assertEquals(504, client.send(post("/exec/slow/start", "Connection: Upgrade\r\n", "Upgrade: tcp\r\n"))
                    .read().status());
        }
        try (RawClient client = new RawClient(gateway.port()).timeout(5000)) {
            assertEquals(101, client.send(post("/exec/abc/start", "Connection: Upgrade\r\n", "Upgrade: tcp\r\n"))
                    .readHead().status());
            assertEquals("late-out", new String(client.input().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHijackCountsAsAStreamUntilItEnds() throws Exception {
        Limits d = Limits.DEFAULTS;
        start((request, connection) -> {
            connection.write(UPGRADED);
            connection.awaitClosedByGateway(20_000);
        }, Config.DEFAULT_DAEMON_TIMEOUT, new Limits(d.maxTargetLength(), d.maxHeaderBytes(), d.maxHeaders(),
                d.maxBodyBytes(), d.headTimeout(), d.idleTimeout(), d.maxConnections(), 1));
        try (RawClient first = new RawClient(gateway.port()).timeout(5000)) {
            assertEquals(101, first.send(EXEC_START).readHead().status());
            try (RawClient second = new RawClient(gateway.port()).timeout(5000)) {
                RawClient.Response refused = second.send(EXEC_START).read();
                assertEquals(503, refused.status());
                assertTrue(refused.body().contains("too many streams open at once (limit 1)"), refused.body());
            }
        }
        // The first client left: its tunnel ends and frees the stream.
        await("a new exec start is upgraded").atMost(Duration.ofSeconds(5)).until(() -> {
            try (RawClient third = new RawClient(gateway.port()).timeout(5000)) {
                return third.send(EXEC_START).readHead().status();
            }
        }, equalTo(101));
    }

    @Test
    void aQuietHijackOutlivesTheIdleTimeout() throws Exception {
        Limits d = Limits.DEFAULTS;
        start((request, connection) -> {
            connection.write(UPGRADED);
            assertFalse(connection.awaitClosedByGateway(900), "the gateway cut a quiet stream");
            connection.write("still-here");
            connection.close();
        }, Config.DEFAULT_DAEMON_TIMEOUT, new Limits(d.maxTargetLength(), d.maxHeaderBytes(), d.maxHeaders(),
                d.maxBodyBytes(), d.headTimeout(), Duration.ofMillis(300), d.maxConnections(), d.maxStreams()));
        try (RawClient client = new RawClient(gateway.port()).timeout(5000)) {
            assertEquals(101, client.send(EXEC_START).readHead().status());
            assertEquals("still-here", new String(client.input().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
