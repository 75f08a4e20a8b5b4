package dockgate.unix;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;

import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.SlowReaderCase;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Serving on a Unix socket file: the same decisions as over TCP, the file's permissions, its life cycle. */
@Timeout(60)
class UnixListenerTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private Gateway gateway;
    private StandInDaemon daemon;

    private Path listenPath() {
        return fixture.dir().resolve("g.sock");
    }

    private Config config(Profile policy, ListenSpec... listeners) {
        return Config.defaults("127.0.0.1", 0, fixture.socket(), policy).withListeners(List.of(listeners));
    }

    private void start(StandInDaemon.Responder responder, Profile policy, ListenSpec... listeners) throws IOException {
        daemon = fixture.daemon(fixture.socket(), responder);
        gateway = fixture.gateway(config(policy, listeners));
    }

    private void startUnix(StandInDaemon.Responder responder) throws IOException {
        start(responder, Profile.builtIn(), ListenSpec.unix(listenPath(), 0600, null));
    }

    @Test
    void callsAreAllowedAndDeniedExactlyAsOverTcp() throws IOException {
        start(StandInDaemon.OK, Profile.builtIn(), ListenSpec.tcp("127.0.0.1", 0), ListenSpec.unix(listenPath(), 0600, null));
        List<String> calls = List.of(
                "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "GET /v1.41/containers/abc/archive?path=/ HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v1.41/../containers/json HTTP/1.1\r\nHost: x\r\n\r\n");
        List<String> overTcp = new ArrayList<>();
        List<String> overUnix = new ArrayList<>();
        for (String call : calls) {
            try (RawClient tcp = new RawClient(gateway.port()); RawClient unix = RawClient.unix(listenPath())) {
                RawClient.Response viaTcp = tcp.send(call).read();
                RawClient.Response viaUnix = unix.send(call).read();
                overTcp.add(viaTcp.status() + " " + viaTcp.body());
                overUnix.add(viaUnix.status() + " " + viaUnix.body());
            }
        }
        assertEquals(overTcp, overUnix);
        assertEquals(List.of(200, 200, 403, 403, 400), overUnix.stream().map(s -> Integer.parseInt(s.substring(0, 3))).toList());
        assertTrue(overUnix.get(2).contains("dockgate: POST /v1.41/containers/create is not allowed by the rules"), overUnix.get(2));
        // Each allowed call reached the daemon twice (TCP and Unix), nothing refused reached it at all.
        assertEquals(List.of("/_ping", "/_ping", "/v1.41/containers/json?all=1", "/v1.41/containers/json?all=1"),
                daemon.requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void keptAliveCallsOnOneUnixConnection() throws IOException {
        startUnix(StandInDaemon.OK);
        try (RawClient client = RawClient.unix(listenPath())) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response response = client.get("/_ping");
                assertEquals(200, response.status());
                assertEquals("{\"ok\":true}", response.body());
            }
        }
        assertEquals(3, daemon.requests().size());
    }

    @Test
    void theSocketFileHasTheAskedModeAndGroup() throws IOException {
        Path open = fixture.dir().resolve("group.sock");
        Path owner = fixture.dir().resolve("owner.sock");
        start(StandInDaemon.OK, Profile.builtIn(), ListenSpec.unix(open, 0660, "1"), ListenSpec.unix(owner, 0600, "root"));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(open, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(1, Files.getAttribute(open, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(owner, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(0, Files.getAttribute(owner, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertTrue(isSocket(open) && isSocket(owner));
        // The private directories the sockets were made in are gone.
        try (Stream<Path> files = Files.list(fixture.dir())) {
            assertEquals(List.of("d.sock", "group.sock", "owner.sock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (RawClient client = RawClient.unix(open)) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws IOException {
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(listenPath()));
        }
        assertTrue(isSocket(listenPath()), "closing a JDK Unix server leaves its file, as a crash would");
        startUnix(StandInDaemon.OK);
        try (RawClient client = RawClient.unix(listenPath())) {
            assertEquals(200, client.get("/_ping").status());
        }
    }

    @Test
    void aSocketAnotherProcessServesIsLeftAloneAndTheStartRefused() throws IOException {
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(listenPath()));
            daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
            IOException e = assertThrows(IOException.class,
                    () -> Gateway.start(config(Profile.builtIn(), ListenSpec.unix(listenPath(), 0600, null))));
            assertEquals("on unix:" + listenPath() + ": another process is serving " + listenPath()
                    + "; stop it or choose another path", e.getMessage());
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(listenPath()))) {
                assertTrue(client.isConnected(), "the other process's socket still works");
            }
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndTheStartRefused() throws IOException {
        Files.writeString(listenPath(), "precious");
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        IOException e = assertThrows(IOException.class,
                () -> Gateway.start(config(Profile.builtIn(), ListenSpec.tcp("127.0.0.1", 0), ListenSpec.unix(listenPath(), 0600, null))));
        assertEquals("on unix:" + listenPath() + ": " + listenPath() + " exists and is not a socket; dockgate leaves it alone",
                e.getMessage());
        assertEquals("precious", Files.readString(listenPath()));
    }

    @Test
    void aMissingDirectoryIsNamed() throws IOException {
        Path missing = fixture.dir().resolve("absent").resolve("g.sock");
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        IOException e = assertThrows(IOException.class,
                () -> Gateway.start(config(Profile.builtIn(), ListenSpec.unix(missing, 0600, null))));
        assertEquals("on unix:" + missing + ": the directory " + missing.getParent() + " does not exist", e.getMessage());
    }

    @Test
    void theSocketFileIsRemovedOnClose() throws IOException {
        startUnix(StandInDaemon.OK);
        RawClient open = RawClient.unix(listenPath());
        assertEquals(200, open.get("/_ping").status());
        gateway.close();
        gateway = null;
        assertFalse(Files.exists(listenPath(), LinkOption.NOFOLLOW_LINKS));
        assertTrue(open.closedByServer(), "a client connection outlived the gateway");
        open.close();
    }

    @Test
    void aBigResponseAndABigRequestBodyArriveWhole() throws Exception {
        int size = 8 * 1024 * 1024;
        byte[] big = new byte[size];
        for (int i = 0; i < size; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        Profile policy = Profile.parse("test", "GET /images/{name}/get\nPUT /containers/{id}/archive\n");
        start((request, connection) -> {
            if (request.method().equals("GET")) {
                connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: " + size + "\r\n\r\n");
                connection.write(big);
            } else {
                connection.send(200, "application/json", "{}");
            }
        }, policy, ListenSpec.unix(listenPath(), 0600, null));
        try (RawClient client = RawClient.unix(listenPath())) {
            client.send("GET /images/busybox/get HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = client.readHead();
            assertEquals(200, head.status());
            assertArrayEquals(big, client.input().readNBytes(size));
            String body = "b".repeat(3 * 1024 * 1024);
            client.send("PUT /containers/abc/archive?path=/tmp HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(200, client.read().status());
            assertEquals(body, daemon.requests().get(1).bodyText());
        }
    }

    @Test
    void eachEventReachesTheClientBeforeTheDaemonSendsTheNextAndLeavingClosesTheStream() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        AtomicBoolean waitedInVain = new AtomicBoolean();
        AtomicBoolean daemonClosed = new AtomicBoolean();
        CountDownLatch checked = new CountDownLatch(1);
        startUnix((request, connection) -> {
            connection.startChunked(200, "");
            connection.chunk("{\"Type\":\"image\",\"Action\":\"tag\"}\n");
            if (!firstSeen.await(10, TimeUnit.SECONDS)) {
                waitedInVain.set(true);
            }
            connection.chunk("{\"Type\":\"image\",\"Action\":\"untag\"}\n");
            try {
                clientGone.await(10, TimeUnit.SECONDS);
                daemonClosed.set(connection.awaitClosedByGateway(2000));
            } finally {
                // Counted down whatever happens, so that a failure here fails the assertion that says what.
                checked.countDown();
            }
        });
        RawClient client = RawClient.unix(listenPath());
        client.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, client.readHead().status());
        assertEquals("{\"Type\":\"image\",\"Action\":\"tag\"}\n", client.readChunk());
        firstSeen.countDown();
        assertEquals("{\"Type\":\"image\",\"Action\":\"untag\"}\n", client.readChunk());
        client.close();
        clientGone.countDown();
        assertTrue(checked.await(10, TimeUnit.SECONDS));
        assertFalse(waitedInVain.get(), "the first event was held back until the daemon sent more");
        assertTrue(daemonClosed.get(), "the daemon connection was still open after the client left");
    }

    @Test
    void aSlowReaderHoldsTheDaemonBackInsteadOfFillingTheGateway() throws Exception {
        SlowReaderCase slow = new SlowReaderCase();
        startUnix(slow.daemon());
        try (RawClient client = RawClient.unix(listenPath())) {
            slow.readSlowly(client);
        }
    }

    @Test
    void aRefusedUploadStillGetsItsAnswerThoughItsBodyIsNeverRead() throws IOException {
        startUnix(StandInDaemon.OK);
        String body = "{\"Image\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}";
        try (RawClient client = RawClient.unix(listenPath())) {
            // The gateway answers and closes after the head; the client is still writing its body.
            client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            RawClient.Response response = client.read();
            assertEquals(403, response.status());
            assertTrue(response.body().contains("dockgate: POST /v1.41/containers/create is not allowed by the rules"),
                    response.body());
            assertTrue(client.closedByServer());
        }
        assertEquals(List.of(), daemon.requests());
    }

    @Test
    void theClientHalfClosingIsTreatedAsOverTcp() throws IOException {
        start(StandInDaemon.OK, Profile.builtIn(), ListenSpec.tcp("127.0.0.1", 0), ListenSpec.unix(listenPath(), 0600, null));
        byte[] call = "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String viaTcp;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", gateway.port()))) {
            channel.write(ByteBuffer.wrap(call));
            channel.shutdownOutput();
            viaTcp = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.US_ASCII);
        }
        String viaUnix;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(listenPath()))) {
            channel.write(ByteBuffer.wrap(call));
            channel.shutdownOutput();
            viaUnix = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(viaTcp.startsWith("HTTP/1.1 200 ") && viaTcp.endsWith("{\"ok\":true}"), viaTcp);
        assertEquals(viaTcp.replaceAll("(?m)^Date: .*$", ""), viaUnix.replaceAll("(?m)^Date: .*$", ""));
    }

    private static boolean isSocket(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0140000;
    }
}
