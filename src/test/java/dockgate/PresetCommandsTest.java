package dockgate;

import dockgate.policy.Presets;
import dockgate.testing.CapturedStderr;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --preset NAME}: serving, printing and explaining a preset, and the mistakes a user can make with it. */
class PresetCommandsTest {

    private static CommandLine parse(Map<String, String> env, String... args) throws UsageException {
        return CommandLine.parse(args, env);
    }

    @Test
    void aPresetComesFromTheFlagOrTheEnvironmentAndIsWhatIsServed() throws UsageException {
        assertEquals("traefik", parse(Map.of(), "--preset", "traefik").preset());
        assertEquals("ci", parse(Map.of("DOCKGATE_PRESET", "ci")).preset());
        assertNull(parse(Map.of()).preset());
        CommandLine line = parse(Map.of(), "--preset=prometheus", "--print-rules");
        RulesToServe served = RulesToServe.load(line, Map.of());
        assertEquals("preset prometheus", served.rules().source());
        assertNull(served.rules().file(), "a preset is not watched: it is in the jar");
        String text = served.text();
        assertTrue(text.startsWith("# preset prometheus (4 rules in 1 profile)\n"), text);
        assertTrue(text.contains("GET       /networks   # preset prometheus:"), text);
    }

    @Test
    void theCiPresetPrintsItsProfileLineWithItsOwner() throws UsageException {
        String text = RulesToServe.load(parse(Map.of(), "--preset=ci"), Map.of()).text();
        assertTrue(text.contains("\nprofile default checks=ci owner=ci\n"), text);
        assertTrue(text.contains("checks ci   # preset ci:"), text);
    }

    @Test
    void anUnknownPresetIsAUsageErrorThatListsThePresets() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), "--preset", "trafik"));
        assertEquals("--preset: no preset named 'trafik' (presets: " + String.join(", ", Presets.names()) + ")",
                e.getMessage());
        e = assertThrows(UsageException.class, () -> parse(Map.of("DOCKGATE_RULES", "r"), "--preset", "traefik"));
        assertEquals("--preset and --rules cannot be used together: a preset is a rules file built into dockgate",
                e.getMessage());
    }

    @Test
    void mainExitsWith2OnAPresetMistake() {
        try (CapturedStderr captured = CapturedStderr.start()) {
            assertEquals(2, Main.run(new String[]{"--preset", "traefik", "--compat", "tecnativa"}));
            assertEquals("dockgate: --preset and --compat cannot be used together: a preset is a rules file built"
                    + " into dockgate\n", captured.text());
        }
    }

    @Test
    void explainAsksAPreset() {
        RulesCommandsTest.Result allowed = RulesCommandsTest.explain(Map.of(), "--preset", "prometheus", "GET", "/v1.41/networks");
        assertEquals(0, allowed.exit(), allowed.err());
        assertTrue(allowed.out().contains("rules:     preset prometheus\n"), allowed.out());
        assertTrue(allowed.out().contains("decision:  allow, by preset prometheus:"), allowed.out());
        RulesCommandsTest.Result denied = RulesCommandsTest.explain(Map.of("DOCKGATE_PRESET", "traefik"), "GET", "/v1.41/networks");
        assertEquals(1, denied.exit());
        RulesCommandsTest.Result both = RulesCommandsTest.explain(Map.of(), "--preset", "traefik", "--rules", "r", "GET", "/_ping");
        assertEquals(2, both.exit());
        assertEquals("dockgate: --preset and --rules cannot be used together: a preset is a rules file built into"
                + " dockgate (see --help)\n", both.err());
        RulesCommandsTest.Result unknown = RulesCommandsTest.explain(Map.of(), "--preset", "nope", "GET", "/_ping");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("dockgate: --preset: no preset named 'nope' (presets: autoheal, "), unknown.err());
    }
}
