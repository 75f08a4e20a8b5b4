package dockgate.compat;

import dockgate.Gateway;
import dockgate.testing.GatewayFixture;
import dockgate.testing.RawClient;
import dockgate.testing.StandInDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway running on rules from --compat tecnativa, in front of a recording stand-in daemon. */
class CompatGatewayTest {

    @RegisterExtension
    final GatewayFixture fixture = new GatewayFixture();

    @Test
    void containersOnLetsTheListThroughAndRefusesCreate() throws Exception {
        var policy = TecnativaCompat.fromEnvironment(Map.of("CONTAINERS", "1")).profile();
        Gateway gateway = fixture.start(fixture.socket(), StandInDaemon.OK, policy, UnaryOperator.identity());
        StandInDaemon daemon = fixture.daemon();
        try (RawClient client = new RawClient(gateway.port())) {
            assertEquals(200, client.get("/v1.41/containers/json").status());
            RawClient.Response refused = client.send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").read();
            assertEquals(403, refused.status());
            assertTrue(refused.body().contains("dockgate: POST /v1.41/containers/create is not allowed by the rules"),
                    refused.body());
            assertEquals(1, daemon.requests().size());
            assertEquals("/v1.41/containers/json", daemon.requests().get(0).target());
        }
    }
}
