package dockgate.policy;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.ListenSpec;

import dockgate.access.AllowedClients;
import dockgate.policy.Rulebook;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    private StandInDaemon daemon;
    private Gateway gateway;

    private void start(StandInDaemon.Responder responder, Rulebook rules) throws IOException {
        daemon = fixture.daemon(fixture.socket(), responder);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), rules)
                .withAllowFrom(AllowedClients.parse("127.0.0.0/8")));
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
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
        Path file = Files.writeString(fixture.dir().resolve("rules"), RULES);
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
        await("the call reaches the daemon").atMost(Duration.ofSeconds(10)).until(() -> daemon.requests().size() == 1);

        Files.writeString(file, RULES.replace("GET /containers/json\n", ""));
        assertTrue(gateway.rules().reload("test"));
        assertEquals(403, status("127.0.0.2", "/v1.41/containers/json"));

        release.countDown();
        assertEquals(200, inFlight.get(10, TimeUnit.SECONDS));
        assertEquals(1, daemon.requests().size());
    }

    @Test
    void theWatcherStopsWithTheGateway() throws Exception {
        Path file = Files.writeString(fixture.dir().resolve("rules"), "GET /_ping\n");
        start(StandInDaemon.OK, Rulebook.load(file));
        gateway.watchRulesFile();
        Files.writeString(file, "GET /_ping\nGET /containers/json\n");
        await("the watcher reloads the file").atMost(Duration.ofSeconds(10)).until(() -> gateway.rules().inForce().ruleCount() == 2);
        assertEquals(200, status("127.0.0.9", "/containers/json"));
        gateway.close();
        gateway = null;
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("dockgate-rules-watch")),
                "the watcher thread is gone");
    }

    @Test
    void aListenerBoundToAProfileServesThatProfileWhateverTheClientAddress() throws Exception {
        Path file = Files.writeString(fixture.dir().resolve("rules"), RULES);
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        Path socket = fixture.dir().resolve("logs.sock");
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), Rulebook.load(file))
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
}
