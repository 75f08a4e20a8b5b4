package dockgate;

import dockgate.access.AllowedClients;
import dockgate.policy.Rulebook;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Per-client profiles through the running gateway, and a reload while a call is in flight. */
class ProfilesTest {

    private static final String RULES = """
            GET /_ping

            profile proxy from 127.0.0.2
            GET /_ping
            GET /containers/json

            profile logs from 127.0.0.3, 127.0.0.4
            GET /containers/{id}/logs
            """;

    @TempDir
    Path dir;

    private StandInDaemon daemon;
    private Gateway gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private void start(StandInDaemon.Responder responder, Rulebook rules) throws IOException {
        daemon = StandInDaemon.start(dir.resolve("d.sock"), responder);
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, dir.resolve("d.sock"), rules)
                .withAllowFrom(AllowedClients.parse("127.0.0.0/8")));
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private int status(String from, String target) throws IOException {
        try (RawClient client = new RawClient(gateway.port(), ip(from))) {
            return client.get(target).status();
        }
    }

    @Test
    void eachClientIsJudgedByTheProfileItsAddressSelects() throws Exception {
        start(StandInDaemon.OK, Rulebook.parse("profiles", RULES));
        assertEquals(200, status("127.0.0.2", "/v1.41/containers/json"));
        assertEquals(403, status("127.0.0.3", "/v1.41/containers/json"));
        assertEquals(200, status("127.0.0.4", "/v1.41/containers/abc/logs?follow=1"));
        assertEquals(403, status("127.0.0.2", "/v1.41/containers/abc/logs"));
        // 127.0.0.5 is in no profile's ranges: the default profile, which only answers pings.
        assertEquals(403, status("127.0.0.5", "/v1.41/containers/json"));
        assertEquals(200, status("127.0.0.5", "/_ping"));
        assertEquals(403, status("127.0.0.3", "/_ping"));
        assertEquals(List.of("/v1.41/containers/json", "/v1.41/containers/abc/logs?follow=1", "/_ping"),
                daemon.requests().stream().map(StandInDaemon.Request::target).toList());
    }

    @Test
    void theRefusalToldToTheClientIsTheSameWhateverTheProfile() throws Exception {
        start(StandInDaemon.OK, Rulebook.parse("profiles", RULES));
        try (RawClient client = new RawClient(gateway.port(), ip("127.0.0.3"))) {
            RawClient.Response response = client.get("/v1.41/containers/json");
            assertEquals(403, response.status());
            assertEquals("{\"message\":\"dockgate: GET /v1.41/containers/json is not allowed by the rules\"}", response.body().strip());
        }
    }

    @Test
    void aCallInFlightKeepsTheRulesItStartedUnderAndTheNextCallGetsTheNewOnes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Path file = Files.writeString(dir.resolve("rules"), RULES);
        start((request, connection) -> {
            if (request.target().contains("containers/json")) {
                release.await(10, TimeUnit.SECONDS);
            }
            connection.send(200, "application/json", "[]");
        }, Rulebook.load(file));

        CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return status("127.0.0.2", "/v1.41/containers/json");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await("the call reaches the daemon", () -> daemon.requests().size() == 1);

        Files.writeString(file, RULES.replace("GET /containers/json\n", ""));
        assertTrue(gateway.rules().reload("test"));
        assertEquals(403, status("127.0.0.2", "/v1.41/containers/json"));

        release.countDown();
        assertEquals(200, inFlight.get(10, TimeUnit.SECONDS));
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void theWatcherStopsWithTheGateway() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), "GET /_ping\n");
        start(StandInDaemon.OK, Rulebook.load(file));
        gateway.watchRulesFile();
        Files.writeString(file, "GET /_ping\nGET /containers/json\n");
        await("the watcher reloads the file", () -> gateway.rules().inForce().ruleCount() == 2);
        assertEquals(200, status("127.0.0.9", "/containers/json"));
        gateway.close();
        gateway = null;
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("dockgate-rules-watch")),
                "the watcher thread is gone");
    }

    @Test
    void aListenerBoundToAProfileServesThatProfileWhateverTheClientAddress() throws Exception {
        Path file = Files.writeString(dir.resolve("rules"), RULES);
        daemon = StandInDaemon.start(dir.resolve("d.sock"), StandInDaemon.OK);
        Path socket = dir.resolve("logs.sock");
        gateway = Gateway.start(Config.defaults("127.0.0.1", 0, dir.resolve("d.sock"), Rulebook.load(file))
                .withAllowFrom(AllowedClients.parse("127.0.0.0/8"))
                .withListeners(List.of(ListenSpec.tcp("127.0.0.1", 0), ListenSpec.tcp("127.0.0.1", 0).withProfile("proxy"),
                        ListenSpec.unix(socket, 0600, null).withProfile("logs"))));
        String bound = gateway.addresses().get(1);
        int proxyPort = Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));

        // The plain listener decides by address: 127.0.0.1 is in no profile's ranges, so "default".
        assertEquals(403, status("127.0.0.1", "/v1.41/containers/json"));
        // The listener bound to "proxy" serves it to 127.0.0.1 and even to 127.0.0.3, which "logs" names.
        for (String from : List.of("127.0.0.1", "127.0.0.3")) {
            try (RawClient client = new RawClient(proxyPort, ip(from))) {
                assertEquals(200, client.get("/v1.41/containers/json").status(), from);
                assertEquals(403, client.get("/v1.41/containers/abc/logs").status(), from);
            }
        }
        // The Unix socket has no client address at all; its binding alone decides.
        try (RawClient client = RawClient.unix(socket)) {
            assertEquals(200, client.get("/v1.41/containers/abc/logs").status());
        }
        try (RawClient client = RawClient.unix(socket)) {
            assertEquals(403, client.get("/_ping").status());
        }
        assertEquals(List.of("/v1.41/containers/json", "/v1.41/containers/json", "/v1.41/containers/abc/logs"),
                daemon.requests().stream().map(StandInDaemon.Request::target).toList());

        // A reload that would drop a bound profile is refused; the old rules stay.
        Files.writeString(file, RULES.replace("profile logs from 127.0.0.3, 127.0.0.4", "profile other"));
        assertEquals(false, gateway.rules().reload("test"));
        try (RawClient client = RawClient.unix(socket)) {
            assertEquals(200, client.get("/v1.41/containers/abc/logs").status());
        }
    }

    @Test
    void aListenerBoundToAProfileTheRulesDoNotHaveStopsTheStart() throws IOException {
        Path file = Files.writeString(dir.resolve("rules"), RULES);
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertEquals(2, Main.run(new String[]{"--rules", file.toString(), "--socket", dir.resolve("d.sock").toString(),
                    "--listen", "127.0.0.1:0,profile=nope"}));
        } finally {
            System.setErr(err);
        }
        assertEquals("dockgate: --listen 127.0.0.1:0: no profile named 'nope' in " + file
                + " (it has: default, proxy, logs)\n", captured.toString());
    }
}
