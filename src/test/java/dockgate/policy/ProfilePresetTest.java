package dockgate.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code profile NAME from RANGES preset=PRESET}: a profile whose rules, checks and scope are a preset's. */
class ProfilePresetTest {

    private static String error(String text) {
        return assertThrows(RulesException.class, () -> Rulebook.parse("f", text)).getMessage();
    }

    @Test
    void aProfileTakesThePresetsRulesAndTheirLocations() throws Exception {
        Rulebook rules = Rulebook.parse("f", "GET,HEAD /_ping\n"
                + "profile proxy from 172.30.1.0/24 preset=traefik\n"
                + "profile metrics from 172.30.2.0/24 preset=prometheus\n");
        Profile proxy = rules.profileFor(InetAddress.getByName("172.30.1.9"));
        assertEquals("proxy", proxy.name());
        assertEquals(Presets.load("traefik").profile("default").rules().stream().map(Rule::text).toList(),
                proxy.rules().stream().map(Rule::text).toList());
        Rule inspect = proxy.decide("GET", "/v1.41/containers/abc/json", (String) null).rule();
        assertTrue(inspect.location().startsWith("preset traefik:"), inspect.location());
        assertTrue(PresetsTest.allows(rules.profile("metrics"), "GET", "/v1.41/networks"));
        assertFalse(PresetsTest.allows(proxy, "GET", "/v1.41/networks"));
        assertEquals("profile proxy from 172.30.1.0/24 preset=traefik", rules.heading("proxy"));
        assertEquals("traefik", rules.presetOf("proxy"));
    }

    @Test
    void thePresetsChecksAndOwnerComeWithItAndItsCheckNamesStayItsOwn() throws Exception {
        // The file's own 'compose' set is not the preset's: each rule keeps the set it was written with.
        Rulebook rules = Rulebook.parse("f", "checks compose\n    allow privileged\n"
                + "POST /containers/create checks=compose\n"
                + "profile team preset=compose\n"
                + "profile jobs preset=ci\n");
        Rule own = rules.profile("default").decide("POST", "/containers/create", (String) null).rule();
        Rule preset = rules.profile("team").decide("POST", "/containers/create", (String) null).rule();
        assertEquals(List.of("privileged"), List.copyOf(own.checks().allowed()));
        assertTrue(preset.checks().allowed().isEmpty());
        assertEquals(List.of("compose"), rules.checkSets().stream().map(c -> c.name()).toList());
        Profile jobs = rules.profile("jobs");
        assertEquals("ci", jobs.scope().owner().value());
        assertEquals("ci", jobs.decide("POST", "/containers/create", (String) null).rule().checks().name());
    }

    @Test
    void mistakesAreReportedOnTheirLine() {
        assertEquals("f:2: profile p takes its rules from preset traefik; write no rules under it (to change them,"
                + " copy the output of 'dockgate --preset traefik --print-rules' into a profile of your own)",
                error("profile p preset=traefik\nGET /info\n"));
        assertTrue(error("profile p preset=nope\n").startsWith("f:1: no preset named 'nope' (presets: autoheal, ci,"));
        assertEquals("f:1: profile p: preset= brings the preset's own checks and scope; write 'owner=' in a profile"
                + " of your own rules instead", error("profile p from 10.0.0.0/8 owner=x preset=traefik\n"));
        assertEquals("f:1: the default profile takes no preset= (serve a preset alone with --preset, or give it a"
                + " profile with 'from' ranges)", error("profile default preset=traefik\n"));
        assertEquals("f:1: 'preset=' written twice on one profile line", error("profile p preset=ci preset=ci\n"));
    }

    @Test
    void rulesAfterTheNextProfileLineAreThatProfilesOwn() throws Exception {
        Rulebook rules = Rulebook.parse("f", "profile p preset=traefik\nprofile q\nGET /info\n");
        assertEquals(1, rules.profile("q").size());
    }
}
