package dockgate.adversarial;

import static org.junit.jupiter.api.Assertions.fail;

import dockgate.Config;
import dockgate.Gateway;
import dockgate.policy.Profile;
import dockgate.testing.GatewayFixture;
import dockgate.testing.StandInDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile requests again, against a gateway in audit mode. Only the rules are relaxed there: every
 * response the table expects stays the same, except that a call the rules deny is now answered by the
 * daemon (or still refused when no rule could name it), and every request that reaches the daemon must still be canonical, unambiguous and free of
 * upgrades. Cases whose later requests depend on a refusal closing the connection are judged on the
 * daemon side only.
 */
class HostileRequestsAuditTest {

    private static final int TIMEOUT_MILLIS = 5000;

    @RegisterExtension
    static final GatewayFixture fixture = GatewayFixture.perClass();


    private static StandInDaemon daemon;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        daemon = fixture.daemon(fixture.socket(), StandInDaemon.OK);
        gateway = fixture.gateway(Config.defaults("127.0.0.1", 0, fixture.socket(), Profile.builtIn())
                .withAuditRules(fixture.dir().resolve("learned.rules")));
    }

    @TestFactory
    Stream<DynamicTest> hostileRequestsInAuditMode() {
        return HostileCases.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(c)));
    }

    private static void run(HostileCase c) throws Exception {
        int before = daemon.requests().size();
        HostileClient.Outcome outcome;
        try (HostileClient client = new HostileClient(gateway.port(), TIMEOUT_MILLIS)) {
            outcome = client.play(c);
        }
        List<String> failures = new ArrayList<>();
        HostileCase audit = inAuditMode(c);
        if (audit != null) {
            failures.addAll(HostileRequestsTest.judgeClient(audit, outcome));
        }
        try (HostileClient client = new HostileClient(gateway.port(), TIMEOUT_MILLIS)) {
            client.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
            HostileClient.Outcome ping = client.read(1, null);
            if (ping.finals().size() != 1 || ping.finals().get(0).status() != 200) {
                failures.add("after the case, GET /_ping on a new connection got " + ping.summary());
            }
        }
        // The stand-in records a request before it answers, so every forwarded request whose answer the case
        // read is in (the ping passes the check like any canonical call). Requests forwarded without an answer
        // read are the enforce-mode suite's business, with its byte-level wire tap.
        List<StandInDaemon.Request> all = daemon.requests();
        List<StandInDaemon.Request> seen = all.subList(Math.min(before, all.size()), all.size());
        for (StandInDaemon.Request request : seen) {
            failures.addAll(HostileRequestsTest.oracle("daemon recorded", request.method(), request.target(), name -> {
                List<String> values = request.headers().get(name.toLowerCase(Locale.ROOT));
                return values == null ? List.of() : values;
            }, null));
        }
        if (!failures.isEmpty()) {
            fail(c + "\n  request: " + c.printableRequest() + "\n  client:  " + outcome.summary() + "\n  daemon:  "
                    + seen.stream().map(r -> r.method() + " " + r.target()).toList() + "\n  - " + String.join("\n  - ", failures));
        }
    }

    /**
     * The case as audit mode answers it: a rules denial becomes the daemon's answer. Null when a denial is
     * followed by more expected responses: enforcing, the gateway closes after refusing a call with a body,
     * which audit mode forwards instead, so what follows is not comparable.
     */
    private static HostileCase inAuditMode(HostileCase c) {
        List<HostileCase.Slot> slots = new ArrayList<>();
        for (int i = 0; i < c.slots().size(); i++) {
            HostileCase.Slot slot = c.slots().get(i);
            if (deniedByRules(slot)) {
                if (i < c.slots().size() - 1 || expectsContinue(c)) {
                    return null;
                }
                // Forwarded, or refused because no rule could name the call (CONNECT, "get", "/", /v1.41/v1.41/),
                // or, on a route whose body is checked, because the body is not plainly JSON: that is no
                // matter of the rules, so audit mode refuses it (400) as enforcing would once a rule allowed it.
                HostileCase.Slot either = HostileCase.status(false, 200, 400, 403);
                slot = slot.head() ? either.toHead() : either;
            }
            slots.add(slot);
        }
        return new HostileCase(c.category(), c.name(), c.bytes(), c.halfClose(), slots, c.daemon(), c.bodies(),
                c.headers(), c.why());
    }

    private static boolean deniedByRules(HostileCase.Slot slot) {
        return slot.label().startsWith(HostileCase.denied().label())
                || slot.label().equals(HostileCase.deniedAsMissing().label());
    }

    /** Enforcing, a denied call is refused before its body; audit mode sends 100 Continue and waits for it. */
    private static boolean expectsContinue(HostileCase c) {
        return new String(c.bytes(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue");
    }
}
