package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.testing.RawClient;
import dockgate.testing.RawClient.End;
import dockgate.testing.RawClient.NoResponse;
import dockgate.testing.RawClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Faults around the gateway, against real dockerds: the daemon stopped, restarted and SIGKILLed (on a
 * second daemon of this test's own), clients that leave in the middle of a stream or of a request, ten
 * thousand connections and requests without a leak, and SIGTERM to the gateway itself.
 * Every figure measured is printed on stdout with the prefix "FaultsIT:".
 */
@Timeout(90)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    private static final Path JAR = Path.of("target/dockgate.jar");
    private static final long SELF = ProcessHandle.current().pid();

    private static void report(String format, Object... args) {
        System.out.printf("FaultsIT: " + format + "%n", args);
    }

    private static long ms(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    private static Gateway gatewayFor(Path socket) throws IOException {
        return Gateway.start(Config.defaults("127.0.0.1", 0, socket, Profile.builtIn()));
    }

    // ------------------------------------------------------------------ 1. daemon stopped and started again

    @Test
    @Order(1)
    void aStoppedDaemonGets502AtOnceAndARestartedOneIsServedWithoutRestartingTheGateway() throws Exception {
        try (ExtraDaemon daemon = ExtraDaemon.start()) {
            Gateway gateway = gatewayFor(daemon.socket());
            RawClient[] kept = {new RawClient(gateway.port()).timeout(5000)};
            try {
                for (String target : List.of("/_ping", "/v1.41/containers/json?all=1", "/_ping")) {
                    Response r = getKeepingAlive(kept, gateway.port(), target);
                    assertEquals(200, r.status(), "before the stop: GET " + target + ": " + r);
                }

                long stopStart = System.nanoTime();
                daemon.stop();
                report("daemon stopped (SIGTERM via scripts/dev-daemon stop) in %d ms; socket file left behind: %s",
                        ms(stopStart), Files.exists(daemon.socket()));

                List<String> unnamedErrors = new ArrayList<>();
                for (String target : List.of("/_ping", "/v1.41/containers/json?all=1", "/v1.41/events", "/v1.41/info")) {
                    for (boolean fresh : new boolean[] {true, false}) {
                        long t0 = System.nanoTime();
                        Response r;
                        if (fresh) {
                            try (RawClient c = new RawClient(gateway.port()).timeout(5000)) {
                                r = c.sendGet(target).readAnyEnd();
                            }
                        } else {
                            r = getKeepingAlive(kept, gateway.port(), target);
                        }
                        long took = ms(t0);
                        report("daemon stopped: GET %s on a %s connection -> %d in %d ms: %s", target,
                                fresh ? "new" : "kept-alive", r.status(), took, r.body().trim());
                        assertEquals(502, r.status(), "daemon stopped: GET " + target + ": " + r);
                        assertEquals(End.COMPLETE, r.end(), "a whole 502 response: " + r);
                        assertTrue(r.header("content-type").startsWith("application/json"), r.toString());
                        assertTrue(r.body().startsWith("{\"message\":\"") && r.body().contains(daemon.socket().toString()),
                                "the 502 message names the socket " + daemon.socket() + ": " + r.body());
                        // README: "daemon unreachable | 502 | names the socket and the error". Checked at the end,
                        // so that a bad message does not hide what happens on the restart.
                        if (r.body().contains(": null\"")) unnamedErrors.add("GET " + target + ": " + r.body().trim());
                        assertTrue(took < 1000, "a 502 within a second, took " + took + " ms");
                    }
                }

                long startStart = System.nanoTime();
                daemon.startAgain(); // same directory, same socket path; returns once /_ping answers directly
                report("daemon started again on %s in %d ms", daemon.socket(), ms(startStart));
                long t0 = System.nanoTime();
                try (RawClient c = new RawClient(gateway.port()).timeout(5000)) {
                    Response r = c.sendGet("/_ping").readAnyEnd();
                    assertEquals(200, r.status(), "after the restart, on a new connection: " + r);
                    assertEquals("OK", r.body());
                }
                for (String target : List.of("/_ping", "/v1.41/containers/json?all=1", "/v1.41/images/json")) {
                    Response r = getKeepingAlive(kept, gateway.port(), target);
                    assertEquals(200, r.status(), "after the restart, kept-alive connection: GET " + target + ": " + r);
                    assertEquals(End.COMPLETE, r.end());
                }
                try (RawClient events = new RawClient(gateway.port()).timeout(5000)) {
                    events.sendGet("/v1.41/events");
                    assertEquals(200, events.readHead().status(), "after the restart, /events");
                }
                report("after the restart: served again (200) %d ms after the daemon answered, same gateway", ms(t0));
                assertTrue(unnamedErrors.isEmpty(), "502 messages must name the error, not 'null': " + unnamedErrors);
            } finally {
                kept[0].close();
                gateway.close();
            }
        }
    }

    /** A GET on the kept connection; reopens it when the gateway closed it (allowed after an error). */
    private static Response getKeepingAlive(RawClient[] conn, int port, String target) throws IOException {
        Response r;
        try {
            r = conn[0].sendGet(target).readAnyEnd();
        } catch (NoResponse e) {
            report("kept-alive connection was closed by the gateway before GET %s; reopening", target);
            conn[0].close();
            conn[0] = new RawClient(port).timeout(5000);
            r = conn[0].sendGet(target).readAnyEnd();
        }
        if ("close".equalsIgnoreCase(r.header("connection"))) {
            conn[0].close();
            conn[0] = new RawClient(port).timeout(5000);
        }
        return r;
    }

    // ------------------------------------------------------------------ 2. daemon SIGKILLed mid-stream

    @Test
    @Order(2)
    void aDaemonKilledInTheMiddleOfAnEventsStreamClosesTheClientConnection() throws Exception {
        try (ExtraDaemon daemon = ExtraDaemon.start()) { // no containers: a SIGKILL leaves no shims behind
            Gateway gateway = gatewayFor(daemon.socket());
            try (RawClient stream = new RawClient(gateway.port()).timeout(10_000)) {
                stream.sendGet("/v1.41/events");
                Response head = stream.readHead();
                assertEquals(200, head.status(), head.toString());
                assertTrue(head.chunked(), "events are chunked: " + head);
                // The stream carries an event before the kill: it is live end to end.
                assertEquals(201, daemonCall(daemon.socket(), "POST",
                        "/v1.41/images/local/busybox:test/tag?repo=local/faults&tag=kill", null), "tag on the daemon");
                String event = stream.readChunk();
                assertTrue(event != null && event.contains("\"tag\""),
                        "the tag event arrives through the gateway");

                AtomicLong ended = new AtomicLong();
                CompletableFuture<End> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        End e = stream.drainChunks();
                        ended.set(System.nanoTime());
                        return e;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                long t0 = System.nanoTime();
                daemon.kill();
                long killed = ms(t0);
                End end = reader.get(15, TimeUnit.SECONDS);
                long took = TimeUnit.NANOSECONDS.toMillis(ended.get() - t0);
                report("daemon SIGKILLed mid-stream (exited %d ms after the signal): client stream ended %s %d ms "
                        + "after the signal", killed, end, took);
                assertTrue(end == End.CLOSED || end == End.RESET || end == End.CUT,
                        "the client connection is closed, not ended as if the stream were complete, nor left open: "
                                + end);
                assertTrue(took < 3000, "closed within a few seconds, took " + took + " ms");
            }

            // The socket file outlives a SIGKILLed daemon; nothing listens on it.
            long t0 = System.nanoTime();
            try (RawClient c = new RawClient(gateway.port()).timeout(5000)) {
                Response r = c.sendGet("/_ping").readAnyEnd();
                long took = ms(t0);
                report("after the SIGKILL (stale socket file %s): GET /_ping -> %d in %d ms: %s",
                        Files.exists(daemon.socket()), r.status(), took, r.body().trim());
                assertEquals(502, r.status(), r.toString());
                assertTrue(r.body().contains(daemon.socket().toString()), r.body());
                assertTrue(took < 1000, "took " + took + " ms");
            } finally {
                gateway.close();
            }
        }
    }

    // ------------------------------------------------------------------ 3. client gone mid-stream

    @Test
    @Order(3)
    void aClientThatLeavesAStreamClosesTheDaemonConnection() throws Exception {
        Path socket = It.socket();
        // A fresh gateway: its pool is empty, and streams never go back to it.
        Gateway gateway = gatewayFor(socket);
        try {
            clientLeavesStreams(gateway.port(), socket, 1, Leave.FIN, false, "warm-up", -1);
            Set<Long> before = ProcProbe.connectionsTo(SELF, socket);
            int files = ProcProbe.openFiles(SELF);
            report("client-gone baseline: %d open files in this JVM (gateway in-process), %d connections to %s",
                    files, before.size(), socket);

            clientLeavesStreams(gateway.port(), socket, 1, Leave.FIN, false, "quiet stream, client closes", files);
            clientLeavesStreams(gateway.port(), socket, 1, Leave.RST, false, "quiet stream, client resets", files);
            clientLeavesStreams(gateway.port(), socket, 1, Leave.FIN, true, "busy stream, client closes", files);
            clientLeavesStreams(gateway.port(), socket, 20, Leave.FIN, false, "20 quiet streams, all close", files);
            clientLeavesStreams(gateway.port(), socket, 20, Leave.RST, true, "20 busy streams, all reset", files);

            Set<Long> after = ProcProbe.connectionsTo(SELF, socket);
            report("client-gone end: %d open files, %d connections to the daemon", ProcProbe.openFiles(SELF), after.size());
        } finally {
            gateway.close();
        }
    }

    private enum Leave { FIN, RST }

    /**
     * Opens n /events streams through the gateway, finds their new daemon connections, lets the clients go,
     * and asserts those connections and the open-file count are back within 2 s.
     */
    private static void clientLeavesStreams(int port, Path socket, int n, Leave leave, boolean busy, String what,
                                            int baselineFiles) throws Exception {
        Set<Long> before = ProcProbe.connectionsTo(SELF, socket);
        List<RawClient> clients = new ArrayList<>();
        String volume = "dgf-" + It.unique();
        try {
            for (int i = 0; i < n; i++) {
                RawClient c = new RawClient(port).timeout(10_000);
                clients.add(c);
                c.sendGet("/v1.41/events");
            }
            for (RawClient c : clients) {
                Response head = c.readHead();
                assertEquals(200, head.status(), what + ": " + head);
            }
            Set<Long> streams = new HashSet<>();
            boolean seen = It.await(Duration.ofSeconds(2), () -> {
                streams.clear();
                streams.addAll(ProcProbe.connectionsTo(SELF, socket));
                streams.removeAll(before);
                return streams.size() >= n;
            });
            assertTrue(seen, what + ": expected " + n + " new daemon connections, saw " + streams.size());
            int filesDuring = ProcProbe.openFiles(SELF);
            if (busy) {
                // Events flow on every stream: each client reads one, and more are on their way as it leaves.
                assertEquals(201, daemonCall(socket, "POST", "/v1.41/volumes/create", "{\"Name\":\"" + volume + "\"}"));
                for (RawClient c : clients) {
                    boolean arrived = false;
                    for (int i = 0; i < 100 && !arrived; i++) { // other events may come first
                        String event = c.readChunk();
                        assertTrue(event != null, what + ": the stream ended");
                        arrived = event.contains(volume);
                    }
                    assertTrue(arrived, what + ": the volume event arrives");
                }
                assertEquals(204, daemonCall(socket, "DELETE", "/v1.41/volumes/" + volume, null));
            }

            long t0 = System.nanoTime();
            for (RawClient c : clients) {
                if (leave == Leave.RST) c.resetOnClose();
                c.close();
            }
            boolean closed = It.await(Duration.ofSeconds(2), () -> {
                Set<Long> now = ProcProbe.connectionsTo(SELF, socket);
                now.retainAll(streams);
                return now.isEmpty();
            });
            long closedMs = ms(t0);
            boolean filesBack = baselineFiles < 0
                    || It.await(Duration.ofSeconds(2), () -> ProcProbe.openFiles(SELF) <= baselineFiles);
            long filesMs = ms(t0);
            int filesAfter = ProcProbe.openFiles(SELF);
            Set<Long> left = ProcProbe.connectionsTo(SELF, socket);
            left.retainAll(streams);
            report("%s: %d stream(s), daemon connections +%d while streaming, %s; %d still open after %d ms; "
                            + "open files %s baseline, %d while streaming, %d after (%d ms)",
                    what, n, streams.size(), leave, left.size(), closedMs, baselineFiles < 0 ? "no" : baselineFiles,
                    filesDuring, filesAfter, filesMs);
            assertTrue(closed, what + ": the gateway's daemon connections of the streams are still open 2 s after "
                    + "the clients left: " + left);
            assertTrue(filesBack, what + ": open files " + filesAfter + " > baseline " + baselineFiles + " 2 s after");
        } finally {
            for (RawClient c : clients) c.close();
            daemonCall(socket, "DELETE", "/v1.41/volumes/" + volume, null);
        }
    }

    // ------------------------------------------------------------------ 4. 10,000 connects and 10,000 requests

    @Test
    @Order(4)
    void tenThousandDroppedConnectionsAndTenThousandRequestsLeakNeitherFilesNorHeap() throws Exception {
        Path socket = It.socket();
        Gateway gateway = gatewayFor(socket);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            // Warm-up: the same mix at a tenth of the size, so pools and caches reach their working size.
            Load warm = churn(pool, gateway.port(), 1_000, 1_000);
            assertTrue(warm.errors.isEmpty(), "warm-up errors: " + warm.errors);
            long heap0 = heapAfterGc();
            int files0 = ProcProbe.openFiles(SELF);
            int daemon0 = ProcProbe.connectionsTo(SELF, socket).size();

            long t0 = System.nanoTime();
            Load load = churn(pool, gateway.port(), 10_000, 10_000);
            long took = ms(t0);
            report("churn: 10,000 connect-and-drop cycles and 10,000 requests (%s) in %d ms; %d errors",
                    load.counts(), took, load.errors.size());
            assertTrue(load.errors.isEmpty(), load.errors.size() + " errors, first ones: "
                    + load.errors.stream().limit(10).toList());

            // Idle daemon connections are kept for reuse, up to the pool's cap (64, README): a burst of calls
            // whose clients left leaves up to that many behind. Everything else must be back where it was.
            int tolerance = 8;
            int others0 = files0 - daemon0;
            long t1 = System.nanoTime();
            boolean filesBack = It.await(Duration.ofSeconds(5), () -> ProcProbe.openFiles(SELF)
                    - ProcProbe.connectionsTo(SELF, socket).size() <= others0 + tolerance);
            int files1 = ProcProbe.openFiles(SELF);
            int daemon1 = ProcProbe.connectionsTo(SELF, socket).size();
            long heap1 = heapAfterGc();
            report("churn: open files %d before, %d after, of which daemon connections %d before, %d after (other files "
                            + "%d -> %d, %d ms to settle; tolerance +%d); heap after GC %.1f MB before, %.1f MB after "
                            + "(%+.1f MB)",
                    files0, files1, daemon0, daemon1, others0, files1 - daemon1, ms(t1), tolerance, heap0 / 1e6,
                    heap1 / 1e6, (heap1 - heap0) / 1e6);
            assertTrue(filesBack, "open files other than daemon connections " + (files1 - daemon1)
                    + " did not return to " + others0 + " + " + tolerance);
            assertTrue(daemon1 <= 64, "more daemon connections than the idle pool keeps: " + daemon1);
            assertTrue(heap1 - heap0 < 16_000_000L, "heap after GC grew by " + (heap1 - heap0) / 1e6 + " MB");
        } finally {
            pool.shutdownNow();
            gateway.close();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What a churn run saw. */
    private record Load(ConcurrentLinkedQueue<String> errors, AtomicInteger ok, AtomicInteger denied,
                        AtomicInteger deniedWithBody, AtomicInteger dropped) {
        String counts() {
            return ok + " x 200, " + denied + " x 403 kept alive, " + deniedWithBody + " x 403 with a body (closed), "
                    + dropped + " drops";
        }
    }

    /** Runs the drops on 8 threads and the requests on 4 keep-alive connections, at once. */
    private static Load churn(ExecutorService pool, int port, int drops, int requests) throws Exception {
        Load load = new Load(new ConcurrentLinkedQueue<>(), new AtomicInteger(), new AtomicInteger(),
                new AtomicInteger(), new AtomicInteger());
        List<Future<?>> jobs = new ArrayList<>();
        int dropThreads = 8;
        int requestThreads = 4;
        for (int t = 0; t < dropThreads; t++) {
            int first = t;
            jobs.add(pool.submit(() -> {
                for (int i = first; i < drops; i += dropThreads) {
                    // Mostly the four cheap kinds; one in 25 a whole request whose client leaves. More of those
                    // would be a flood the daemon is asked to serve (see the report), not a leak test.
                    int kind = i % 50 == 0 ? 4 : i % 50 == 25 ? 5 : i % 4;
                    try {
                        drop(port, kind);
                        load.dropped.incrementAndGet();
                    } catch (IOException e) {
                        load.errors.add("drop #" + i + " (kind " + kind + "): " + e);
                    }
                }
            }));
        }
        for (int t = 0; t < requestThreads; t++) {
            int share = requests / requestThreads;
            jobs.add(pool.submit(() -> requests(port, share, load)));
        }
        for (Future<?> job : jobs) job.get(60, TimeUnit.SECONDS);
        return load;
    }

    /** One connect-and-drop cycle, of six kinds. */
    private static void drop(int port, int kind) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            var out = s.getOutputStream();
            switch (kind) {
                case 0 -> { } // connect, close
                case 1 -> out.write("GET /_pi".getBytes(StandardCharsets.ISO_8859_1)); // half a request line
                case 2 -> out.write("GET /_ping HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1)); // head unfinished
                case 3 -> { // half a request line, then a reset
                    out.write("GET /v1.41/contai".getBytes(StandardCharsets.ISO_8859_1));
                    s.setSoLinger(true, 0);
                }
                case 4 -> // a whole allowed request, gone before the answer
                        out.write("GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                default -> { // a whole stream request, reset before the answer
                    out.write("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.setSoLinger(true, 0);
                }
            }
        }
    }

    /** n requests on one keep-alive connection: /_ping, every tenth one refused, every 500th refused with a body. */
    private static void requests(int port, int n, Load load) {
        RawClient c = null;
        try {
            for (int i = 0; i < n; i++) {
                if (c == null) c = new RawClient(port).timeout(10_000);
                Response r;
                if (i % 500 == 499) {
                    String body = "{\"Image\":\"local/busybox:test\"}";
                    c.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                    r = c.readAnyEnd();
                    expect(load, r, 403, "is not allowed by the rules", "POST create with a body #" + i);
                    load.deniedWithBody.incrementAndGet();
                } else if (i % 10 == 9) {
                    boolean post = i % 20 == 9;
                    c.send(post ? "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                            : "GET /v1.41/containers/abc/archive?path=/ HTTP/1.1\r\nHost: x\r\n\r\n");
                    r = c.readAnyEnd();
                    expect(load, r, 403, "is not allowed by the rules", (post ? "POST create #" : "GET archive #") + i);
                    load.denied.incrementAndGet();
                } else {
                    r = c.sendGet("/_ping").readAnyEnd();
                    expect(load, r, 200, "OK", "GET /_ping #" + i);
                    load.ok.incrementAndGet();
                }
                if ("close".equalsIgnoreCase(r.header("connection"))) {
                    c.close();
                    c = null;
                }
            }
        } catch (IOException e) {
            load.errors.add("requests: " + e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static void expect(Load load, Response r, int status, String bodyPart, String what) {
        if (r.status() != status || r.end() != End.COMPLETE || !r.body().contains(bodyPart)) {
            load.errors.add(what + ": expected " + status + " with '" + bodyPart + "', got " + r);
        }
    }

    // ------------------------------------------------------------------ 5. SIGTERM to the gateway process

    @Test
    @Order(5)
    void sigtermLetsCallsInFlightFinishEndsStreamsAndExitsWithinFiveSeconds() throws Exception {
        Path socket = It.socket();
        assertTrue(Files.exists(JAR), JAR + " is missing: integration tests run after package");
        int port = It.freePort();
        Path log = Files.createTempFile("dgf-sigterm", ".log");
        // The real daemon, behind a pump that holds back the answer to calls marked "dgf-slow" for 1.5 s:
        // a call that is deterministically in flight when the signal comes.
        Path shimDir = Files.createTempDirectory(Path.of("/tmp"), "dgf");
        DelayingSocket shim = new DelayingSocket(shimDir.resolve("d.sock"), socket, "dgf-slow", Duration.ofMillis(1500));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process gateway = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx128m", "-Dorg.jboss.logging.provider=slf4j",
                "-jar", JAR.toString(), "--listen", "127.0.0.1:" + port, "--socket", shim.socket().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        List<Loader> loaders = new ArrayList<>();
        try {
            assertTrue(It.await(Duration.ofSeconds(20), () -> pingOk(port)),
                    "the gateway did not answer within 20 s:\n" + Files.readString(log));

            // An open-ended stream, and a stream that ends by itself 3 s from now (until=).
            RawClient open = new RawClient(port).timeout(8000);
            open.sendGet("/v1.41/events");
            assertEquals(200, open.readHead().status());
            long now = System.currentTimeMillis() / 1000;
            RawClient bounded = new RawClient(port).timeout(8000);
            bounded.sendGet("/v1.41/events?since=" + (now - 1) + "&until=" + (now + 3));
            assertEquals(200, bounded.readHead().status());
            AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);
            CompletableFuture<String> openEnd = CompletableFuture.supplyAsync(() -> streamEnd(open, sigterm));
            CompletableFuture<String> boundedEnd = CompletableFuture.supplyAsync(() -> streamEnd(bounded, sigterm));

            // Concurrent calls, some slow-ish (/version, /info run processes in dockerd), on keep-alive connections.
            for (int i = 0; i < 4; i++) {
                Loader l = new Loader(port, i, sigterm);
                loaders.add(l);
                l.start();
            }
            assertTrue(It.await(Duration.ofSeconds(10), () -> loaders.stream().allMatch(l -> l.completed.get() >= 20)),
                    "the loaders did not get going");

            // The slow call: sent, forwarded by the gateway, its answer held back by the pump.
            RawClient slow = new RawClient(port).timeout(8000);
            slow.sendGet("/v1.41/containers/json?all=1&dgf-slow=1");
            assertTrue(It.await(Duration.ofSeconds(5), () -> shim.holding.get() == 1), "the slow call did not reach the daemon");
            CompletableFuture<String> slowEnd = CompletableFuture.supplyAsync(() -> {
                try (slow) {
                    Response r = slow.readAnyEnd();
                    long t = sigterm.get();
                    return r.status() + " " + r.end() + " (" + r.body().length() + " bytes"
                            + (r.body().startsWith("[") ? ", a JSON array" : "") + ") "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) + " ms after the SIGTERM";
                } catch (IOException e) {
                    return "NO RESPONSE: " + e.getMessage() + " " + sinceSigtermMs(sigterm) + " ms after the SIGTERM";
                }
            });

            long t0 = System.nanoTime();
            sigterm.set(t0);
            gateway.destroy(); // SIGTERM
            boolean exited = gateway.waitFor(10, TimeUnit.SECONDS);
            long exitMs = ms(t0);
            for (Loader l : loaders) l.join(10_000);
            String openHow = openEnd.get(10, TimeUnit.SECONDS);
            String boundedHow = boundedEnd.get(10, TimeUnit.SECONDS);
            String slowHow = slowEnd.get(10, TimeUnit.SECONDS);

            int inFlightDone = 0;
            List<String> problems = new ArrayList<>();
            List<String> notAnswered = new ArrayList<>();
            for (Loader l : loaders) {
                inFlightDone += l.inFlightCompleted.get();
                problems.addAll(l.problems);
                notAnswered.addAll(l.sentBeforeNoAnswer);
            }
            report("SIGTERM: exited %s after %d ms (exit code %s)", exited, exitMs, exited ? gateway.exitValue() : "-");
            report("SIGTERM: open-ended /events stream: %s", openHow);
            report("SIGTERM: /events?until=+3s stream: %s", boundedHow);
            report("SIGTERM: slow call (its answer held back 1.5 s by the pump, the signal sent while held): %s", slowHow);
            for (Loader l : loaders) report("SIGTERM: loader %s", l);
            report("SIGTERM: %d calls in flight at the signal completed; %d sent before it got no answer; problems: %s",
                    inFlightDone, notAnswered.size(), problems);
            String out = Files.readString(log);
            report("SIGTERM: gateway log after the signal:%n%s", tailAfterStart(out));

            assertTrue(exited, "the gateway did not exit within 10 s of SIGTERM");
            assertTrue(exitMs <= 5000, "the gateway took " + exitMs + " ms to exit after SIGTERM (limit 5 s)");
            assertTrue(openHow.startsWith(End.COMPLETE.name()) || openHow.startsWith(End.CLOSED.name()),
                    "the open-ended stream must end cleanly (terminating chunk or close between chunks): " + openHow);
            assertTrue(boundedHow.startsWith(End.COMPLETE.name()) || boundedHow.startsWith(End.CLOSED.name()),
                    "the bounded stream must end cleanly: " + boundedHow);
            assertTrue(slowHow.startsWith("200 COMPLETE") && slowHow.contains("JSON array"),
                    "the call in flight at the SIGTERM must get its whole answer: " + slowHow);
            assertTrue(problems.isEmpty(), "responses cut or wrong around SIGTERM: " + problems);
            // Calls sent on a kept-alive connection just before the signal and closed unanswered are reported, not
            // failed: the gateway may not have read them yet, and clients retry such a call. The call that is
            // certainly in flight is the slow one above.
            assertTrue(!out.contains("LEAK:"), "Netty reported a buffer leak:\n" + out);
        } finally {
            for (Loader l : loaders) l.interrupt();
            if (gateway.isAlive()) gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            shim.close();
            Files.deleteIfExists(shimDir);
            Files.deleteIfExists(log);
        }
    }

    private static String tailAfterStart(String log) {
        List<String> lines = log.lines().filter(l -> !l.contains(" INFO access ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static boolean pingOk(int port) {
        try (RawClient c = new RawClient(port).timeout(2000)) {
            return c.sendGet("/_ping").readAnyEnd().status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sinceSigtermMs(AtomicLong sigterm) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm.get());
    }

    /** Reads a stream to its end; says how and when (ms after the SIGTERM) it ended. */
    private static String streamEnd(RawClient stream, AtomicLong sigterm) {
        try (stream) {
            End end = stream.drainChunks();
            long at = System.nanoTime();
            long t0 = sigterm.get();
            return end + (t0 == Long.MAX_VALUE ? " before the SIGTERM"
                    : " " + TimeUnit.NANOSECONDS.toMillis(at - t0) + " ms after the SIGTERM");
        } catch (IOException e) {
            return "ERROR " + e;
        }
    }

    /** A client calling in a loop on a keep-alive connection until the gateway is gone. */
    private static final class Loader extends Thread {
        private static final String[] TARGETS = {"/v1.41/version", "/_ping", "/v1.41/containers/json?all=1",
                "/v1.41/info", "/v1.41/images/json"};
        final int port;
        final AtomicLong sigterm;
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger completedAfter = new AtomicInteger();
        final AtomicInteger inFlightCompleted = new AtomicInteger();
        final AtomicInteger closedAfter = new AtomicInteger();
        final AtomicInteger status503 = new AtomicInteger();
        final List<String> problems = new ArrayList<>();
        final List<String> sentBeforeNoAnswer = new ArrayList<>();
        volatile String finish = "running";
        volatile String first503;

        Loader(int port, int n, AtomicLong sigterm) {
            super("faults-loader-" + n);
            this.port = port;
            this.sigterm = sigterm;
            setDaemon(true);
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            RawClient c = null;
            int i = getName().hashCode() & 7;
            try {
                while (System.nanoTime() < deadline) {
                    if (c == null) {
                        try {
                            c = new RawClient(port).timeout(8000);
                        } catch (ConnectException e) {
                            finish = "connection refused " + sinceSigterm(System.nanoTime());
                            if (sigterm.get() == Long.MAX_VALUE) problems.add(getName() + ": refused before SIGTERM");
                            return;
                        }
                    }
                    String target = TARGETS[i++ % TARGETS.length];
                    long sent = System.nanoTime();
                    boolean sentBefore = sent < sigterm.get();
                    Response r;
                    try {
                        c.sendGet(target);
                        r = c.readAnyEnd();
                    } catch (IOException e) {
                        // Closed before any response byte: on a kept-alive connection, a client retries.
                        closedAfter.incrementAndGet();
                        if (sentBefore) sentBeforeNoAnswer.add(getName() + " GET " + target + " sent "
                                + sinceSigterm(sent) + ": " + e);
                        c.close();
                        c = null;
                        continue;
                    }
                    long done = System.nanoTime();
                    if (r.end() != End.COMPLETE) {
                        problems.add(getName() + " GET " + target + " sent " + sinceSigterm(sent) + ": body " + r.end());
                    } else if (r.status() == 503) {
                        // Refused while shutting down: a whole answer. A client backs off and reconnects.
                        if (status503.getAndIncrement() == 0) first503 = r.toString();
                        c.close();
                        c = null;
                        continue;
                    } else if (r.status() != 200) {
                        problems.add(getName() + " GET " + target + ": status " + r.status() + " " + r.body());
                    } else {
                        completed.incrementAndGet();
                        if (done > sigterm.get()) {
                            completedAfter.incrementAndGet();
                            if (sentBefore) inFlightCompleted.incrementAndGet();
                        }
                    }
                    if ("close".equalsIgnoreCase(r.header("connection"))) {
                        c.close();
                        c = null;
                    }
                }
                finish = "deadline";
            } catch (IOException e) {
                problems.add(getName() + ": " + e);
            } finally {
                if (c != null) {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }

        private String sinceSigterm(long at) {
            long t0 = sigterm.get();
            if (t0 == Long.MAX_VALUE) return "before the SIGTERM";
            long d = TimeUnit.NANOSECONDS.toMicros(at - t0);
            return d < 0 ? (-d) + " us before the SIGTERM" : d + " us after the SIGTERM";
        }

        @Override
        public String toString() {
            return getName() + ": " + completed + " complete 200s (" + completedAfter + " completed after the signal, "
                    + inFlightCompleted + " of them in flight at it), " + closedAfter + " closed before a response, "
                    + status503 + " x 503" + (first503 == null ? "" : " (first: " + first503 + ")") + ", finished: " + finish;
        }
    }

    // ------------------------------------------------------------------ direct daemon calls

    /** One call straight to a daemon socket (Connection: close); returns the status. */
    static int daemonCall(Path socket, String method, String target, String json) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String body = json == null ? "" : json;
            String request = method + " " + target + " HTTP/1.1\r\nHost: d\r\nConnection: close\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) ch.write(out);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (ch.read(in) >= 0) {
                all.write(in.array(), 0, in.position());
                in.clear();
            }
            String response = all.toString(StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.split(" ", 3)[1]);
        }
    }
}
