package dockgate.audit;

import dockgate.guard.CheckSet;
import dockgate.guard.Inspection;
import dockgate.guard.Refused;
import dockgate.policy.Profile;
import dockgate.policy.Rule;
import dockgate.policy.Rulebook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit mode learns what create bodies and pulls asked for as a checks section that allows exactly that:
 * the learned file passes the bodies seen and refuses one that asks for a little more.
 */
class LearnedChecksTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theLearnedChecksAllowExactlyWhatTheBodiesAskedFor() throws Exception {
        LearnedRules learned = new LearnedRules();
        String seen = "{\"Image\":\"local/busybox:test\",\"HostConfig\":{\"Privileged\":true,"
                + "\"Binds\":[\"/srv/data:/data:ro\"],\"CapAdd\":[\"net_admin\"],\"PidMode\":\"host\"}}";
        learned.record("10.0.0.1", "POST", "/v1.41/containers/create", null, true, false);
        learned.recordBody(Inspection.CONTAINER_CREATE, bytes(seen));
        learned.record("10.0.0.1", "POST", "/v1.41/images/create", "fromImage=busybox&tag=1.36", true, false);
        learned.recordPull("busybox", "1.36", "");
        String text = learned.text();
        assertTrue(text.contains("""
                checks learned
                    allow privileged
                    allow pid host
                    allow capabilities NET_ADMIN
                    allow binds /srv/data:ro
                    images docker.io/library/busybox:1.36 docker.io/local/busybox:test
                """), text);
        assertTrue(text.contains("/containers/create   checks=learned"), text);

        Profile profile = Rulebook.parse("learned", text).profile("default");
        Rule create = profile.decide("POST", "/v1.41/containers/create", (String) null).rule();
        CheckSet checks = create.checks();
        assertEquals("learned", checks.name());
        assertDoesNotThrow(() -> Inspection.CONTAINER_CREATE.inspect(bytes(seen), checks));
        Refused writable = assertThrows(Refused.class, () -> Inspection.CONTAINER_CREATE.inspect(
                bytes(seen.replace("/srv/data:/data:ro", "/srv/data:/data")), checks));
        assertEquals("binds", writable.check());
        Refused other = assertThrows(Refused.class, () -> Inspection.CONTAINER_CREATE.inspect(
                bytes(seen.replace("local/busybox:test", "local/other:test")), checks));
        assertEquals("images", other.check());
    }

    @Test
    void aValueTheRulesCannotHoldIsCountedNotLearned() {
        LearnedRules learned = new LearnedRules();
        learned.record("10.0.0.1", "POST", "/v1.41/containers/create", null, true, false);
        learned.recordBody(Inspection.CONTAINER_CREATE, bytes("{\"Image\":\"x\",\"HostConfig\":{\"Mounts\":"
                + "[{\"Type\":\"bind\",\"Source\":\"/a:b\",\"Target\":\"/t\"}]}}"));
        String text = learned.text();
        assertTrue(text.contains("# REVIEW: 1 call asked for what no line can allow"), text);
        assertTrue(!text.contains("/a:b"), text);
    }

    @Test
    void aBodyNoLineCanAllowIsCountedForReview() {
        LearnedRules learned = new LearnedRules();
        learned.record("10.0.0.1", "POST", "/v1.41/containers/create", null, true, false);
        learned.recordBody(Inspection.CONTAINER_CREATE, bytes("{\"Image\":"));
        assertTrue(learned.text().contains("# REVIEW: 1 call asked for what no line can allow"), learned.text());
    }
}
