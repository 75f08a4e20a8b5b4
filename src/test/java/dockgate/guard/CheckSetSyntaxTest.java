package dockgate.guard;

import dockgate.policy.Rulebook;
import dockgate.policy.RulesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checks sections of a rules file: what they read as, and each mistake reported with its line. */
class CheckSetSyntaxTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            checks ci\\n    allow everything                  | r:2: unknown 'allow everything' (expected one of privileged device-requests device-cgroup-rules volumes-from cgroup-parent system-paths network-options static-addresses import cgroupns ipc network pid userns uts capabilities devices binds security-opt sysctls runtimes volume-drivers network-drivers)
            checks ci\\n    allow pid everything              | r:2: allow pid takes host or container
            checks ci\\n    allow uts container               | r:2: allow uts takes host
            checks ci\\n    allow privileged yes              | r:2: 'allow privileged' takes no value, got 'yes'
            checks ci\\n    allow binds etc                   | r:2: bind source 'etc' is not an absolute path (with :ro for read-only binds only)
            checks ci\\n    allow capabilities CAP-X          | r:2: bad capability 'CAP-X'
            checks ci\\n    require memory lots               | r:2: expected a positive number such as 256, 512m or 2g, got 'lots'
            checks ci\\n    require cpus 0                    | r:2: expected a positive number of CPUs such as 0.5 or 2, got '0'
            checks ci\\n    require root                      | r:2: unknown 'require root' (expected non-root, read-only-rootfs, no-new-privileges, memory, cpus, pids or label)
            checks ci\\n    stamp label owner                 | r:2: stamp label KEY=VALUE
            checks ci\\n    images Team/App                   | r:2: image pattern 'Team/App': repository names are lower case
            checks ci\\n    images                            | r:2: expected images PATTERN...
'    allow privileged'                            | r:1: 'allow' belongs in a checks section (an indented line after 'checks NAME')
            checks                                            | r:1: expected 'checks NAME', then its check lines indented below it
            checks ci\\nchecks ci                             | r:2: checks name 'ci' used twice
            checks strict                                     | r:1: checks name 'strict' used twice ('strict' is the built-in set)
            checks -x                                         | r:1: bad checks name '-x' (letters, digits, '_', '.', '-'; starting with a letter or digit)
            POST /containers/create checks=ci                 | r:1: no checks named 'ci' above this line
            checks ci\\nGET /containers/json checks=ci        | r:2: checks= applies to the routes whose bodies are checked (POST /containers/create, POST /containers/{id}/update, POST /containers/{id}/exec, POST /exec/{id}/start, POST /volumes/create, POST /networks/create, POST /networks/{id}/connect, POST /services/create, POST /services/{id}/update, POST /images/create), not to GET /containers/json
            checks ci\\nPOST /containers/create checks=ci checks=ci | r:2: 'checks=' written twice
            profile p checks=nope                             | r:1: no checks named 'nope' above this line
            """)
    void mistakesAreReportedWithTheirLine(String text, String message) {
        RulesException e = assertThrows(RulesException.class, () -> Rulebook.parse("r", text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aRuleTakesItsOwnSetElseItsProfilesElseTheStrictOne() throws RulesException {
        Rulebook rules = Rulebook.parse("r", """
                checks a
                    allow privileged
                checks b
                    allow pid host

                POST /containers/create
                profile p checks=b
                POST /containers/create
                POST /containers/{id}/exec   checks=a
                """);
        assertEquals("strict", checks(rules, "default", "/containers/create"));
        assertEquals("b", checks(rules, "p", "/containers/create"));
        assertEquals("a", checks(rules, "p", "/containers/abc/exec"));
        assertEquals(List.of("a", "b"), rules.checkSets().stream().map(CheckSet::name).toList());
        assertEquals("profile p checks=b", rules.heading("p"));
    }

    private static String checks(Rulebook rules, String profile, String path) {
        return rules.profile(profile).decide("POST", path, (String) null).rule().checks().name();
    }

    @Test
    void aSectionEndsAtTheFirstLineThatIsNotAnIndentedCheckLine() throws RulesException {
        Rulebook rules = Rulebook.parse("r", """
                checks a
                    allow privileged

                    # a comment inside
                    allow capabilities net_admin CAP_SYS_TIME
                GET /_ping
                """);
        assertEquals(List.of("allow privileged", "allow capabilities NET_ADMIN SYS_TIME"), rules.checkSets().get(0).lines());
        assertEquals(1, rules.size());
    }
}
