package dockgate.admin;

import dockgate.policy.LiveRules;
import dockgate.policy.Profile;
import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;
import dockgate.policy.RulesInForce;
import dockgate.http.PingAnswer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusPageTest {

    private static Snapshot snapshot(RulesInForce rules) {
        Instant now = Instant.parse("2026-11-27T21:00:00Z");
        return new Snapshot("1.2.3", now.minus(Duration.ofHours(26).plusSeconds(5)), now,
                new DaemonHealth.Status(new PingAnswer(null, "no such socket file <b>"), now), rules, 1,
                new DaemonSideCounts(Path.of("/x/docker.sock"), 0, 0, 0, 0, 0));
    }

    @Test
    void everythingFromRequestsAndRulesIsEscaped() throws RulesException {
        Metrics metrics = new Metrics();
        metrics.refused("127.0.0.1:5<i>", "GET", "/v1.41/<script>alert('x')</script>?a=\"1\"&b", 403,
                "no rule allows GET /<script>");
        Profile policy = Profile.parse("rules<&>", "GET /containers/json  filters=~<script>.*\n");
        String html = StatusPage.render(snapshot(new LiveRules(Rulebook.of(policy)).inForce()), metrics);

        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<b>") || html.contains("<i>"), html);
        assertTrue(html.contains("<code>/v1.41/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;?a=&quot;1&quot;&amp;b</code>"), html);
        assertTrue(html.contains("no rule allows GET /&lt;script&gt;"), html);
        assertTrue(html.contains("filters=~&lt;script&gt;.*"), html);
        assertTrue(html.contains("rules&lt;&amp;&gt;:1"), html);
        assertTrue(html.contains("no such socket file &lt;b&gt;"), html);
    }

    @Test
    void eachProfileOfTheRulesStartsWithItsHeadingAndRanges() throws RulesException {
        Rulebook book = Rulebook.parse("rules", """
                GET /_ping

                profile traefik from 172.30.1.0/24, 10.0.0.5
                GET /containers/json

                profile socket-only
                GET /events
                """);
        String html = StatusPage.render(snapshot(new LiveRules(book).inForce()), new Metrics());

        int ping = html.indexOf("<code>GET /_ping</code>");
        int traefik = html.indexOf("<tr class=\"profile\"><td colspan=\"4\"><code>profile traefik from 172.30.1.0/24,10.0.0.5</code>");
        int list = html.indexOf("<code>GET /containers/json</code>");
        int socketOnly = html.indexOf("<code>profile socket-only</code>");
        int events = html.indexOf("<code>GET /events</code>");
        assertTrue(ping >= 0 && ping < traefik && traefik < list && list < socketOnly && socketOnly < events, html);
        assertFalse(html.contains("profile default"), html);
    }

    @Test
    void controlCharactersCannotBreakThePage() {
        assertEquals("a\ufffdb&lt;", StatusPage.escape("a\u0000b<"));
    }

    @Test
    void uptimeReadsAsDaysHoursMinutesSeconds() {
        assertEquals("1d 2h 00m 05s", StatusPage.uptime(Duration.ofHours(26).plusSeconds(5)));
        assertEquals("0h 03m 00s", StatusPage.uptime(Duration.ofMinutes(3)));
    }

    @Test
    void theLastFiftyRefusalsAreKeptNewestFirst() {
        Metrics metrics = new Metrics();
        for (int i = 0; i < 120; i++) {
            metrics.refused("c", "GET", "/" + i, 403, "r");
        }
        var recent = metrics.recentlyDenied();
        assertEquals(50, recent.size());
        assertEquals("/119", recent.get(0).target());
        assertEquals("/70", recent.get(49).target());
    }
}
