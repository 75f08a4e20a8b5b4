package dockgate.admin;

import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;
import dockgate.policy.RulesInForce;
import dockgate.http.PingAnswer;
import dockgate.testing.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the admin pages say when the rules supplier (a reloading holder) reports no rules, or a failed reload. */
class RulesInForcePagesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T21:00:00Z");

    private static Snapshot snapshot(RulesInForce rules) {
        return new Snapshot("1.2.3", NOW, NOW, new DaemonHealth.Status(new PingAnswer("1.41", null), NOW), rules, 0,
                new DaemonSideCounts(Path.of("/x/docker.sock"), 0, 0, 0, 0, 0));
    }

    @Test
    void noRulesInForceIsUnhealthyWhateverTheDaemonSays() {
        Snapshot state = snapshot(new RulesInForce("conf/rules", null, null, "conf/rules:3: unknown method \"GOT\"", NOW));
        assertFalse(state.healthy());
        assertEquals("{\"status\":\"unavailable\",\"daemon\":{\"reachable\":true,\"socket\":\"/x/docker.sock\","
                + "\"apiVersion\":\"1.41\",\"checkedAt\":\"2026-11-27T21:00:00Z\",\"error\":null},"
                + "\"rules\":{\"loaded\":false,\"source\":\"conf/rules\",\"rules\":0,\"loadedAt\":null,"
                + "\"error\":\"conf/rules:3: unknown method \\\"GOT\\\"\",\"lastAttempt\":\"2026-11-27T21:00:00Z\"}}\n",
                HealthPage.render(state));
        Scrape scrape = Scrape.of(MetricsPage.render(state, new Metrics()));
        assertEquals(0, scrape.value("dockgate_rules_loaded"));
        assertEquals(1, scrape.value("dockgate_rules_error"));
        assertFalse(scrape.has("dockgate_rules_loaded_timestamp_seconds"));
        assertEquals(NOW.getEpochSecond(), scrape.value("dockgate_rules_last_attempt_timestamp_seconds"));
        String html = StatusPage.render(state, new Metrics());
        assertTrue(html.contains("none loaded: every call is refused"), html);
        assertTrue(html.contains("conf/rules:3: unknown method &quot;GOT&quot;"), html);
    }

    @Test
    void aFailedReloadKeepsTheOldRulesAndSaysSo() throws RulesException {
        Snapshot state = snapshot(new RulesInForce("conf/rules", Rulebook.parse("conf/rules", ""), NOW.minusSeconds(60),
                "bad", NOW));
        assertTrue(state.healthy());
        assertTrue(HealthPage.render(state).startsWith("{\"status\":\"ok\","));
        Scrape scrape = Scrape.of(MetricsPage.render(state, new Metrics()));
        assertEquals(1, scrape.value("dockgate_rules_loaded"));
        assertEquals(1, scrape.value("dockgate_rules_error"));
        assertEquals(NOW.getEpochSecond() - 60, scrape.value("dockgate_rules_loaded_timestamp_seconds"));
    }
}
