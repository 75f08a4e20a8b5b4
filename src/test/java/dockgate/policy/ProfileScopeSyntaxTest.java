package dockgate.policy;

import dockgate.guard.CheckSet;
import dockgate.scope.Kind;
import dockgate.scope.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scope words of a profile line: what they give, how they print, and every mistake named with its line. */
class ProfileScopeSyntaxTest {

    private static Profile only(String profileLine) throws RulesException {
        return Rulebook.parse("rules", "GET /_ping\n" + profileLine + "\nPOST /containers/create\n").profile("p");
    }

    @Test
    void anOwnerIsScopedToItsLabelAndStampsItOnWhatItCreates() throws Exception {
        Profile profile = only("profile p owner=alpha");
        Scope scope = profile.scope();
        assertEquals("dockgate.owner=alpha", scope.describe());
        assertEquals(Set.of(Kind.CONTAINERS, Kind.VOLUMES, Kind.NETWORKS, Kind.SERVICES, Kind.TASKS), scope.kinds());
        CheckSet checks = profile.rules().get(0).checks();
        assertEquals(Map.of("dockgate.owner", "alpha"), checks.stampLabels());
        assertEquals("strict", checks.name());
    }

    @Test
    void theWordsComeInAnyOrderAfterTheRangesAndPrintTheSameWay() throws Exception {
        Rulebook book = Rulebook.parse("rules", "checks ci\n    networks none\nprofile p from 10.0.0.0/8"
                + " scope-kinds=containers,images scope=team=a,tier checks=ci owner=tenant.id=7\nGET /_ping\n");
        Scope scope = book.profile("p").scope();
        assertEquals(List.of("tenant.id=7", "team=a", "tier"), scope.filters());
        assertEquals("profile p from 10.0.0.0/8 checks=ci owner=tenant.id=7 scope=team=a,tier scope-kinds=containers,images",
                book.heading("p"));
        assertNull(Rulebook.parse("rules", "profile p\nGET /_ping\n").profile("p").scope());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "profile p scope=                        | profile p: empty label in scope=",
            "profile p scope=a=1,,b                  | profile p: empty label in scope=a=1,,b",
            "profile p scope=a=1,a=2                 | profile p: label a given twice in the scope",
            "profile p owner=                        | profile p: owner= needs a name, or a label KEY=VALUE",
            "profile p scope-kinds=containers        | profile p: scope-kinds= needs scope= or owner= on the same line",
            "profile p scope=a scope-kinds=boats     | profile p: unknown kind of object 'boats' (expected containers, images, networks, volumes, services, tasks, nodes, secrets, configs)",
            "profile p scope=!a                      | profile p: bad label key '!a' (letters, digits, '.', '_', '/', '-'; starting with a letter or digit)",
            "profile p scope=a=b c                   | unexpected 'scope=a=b' after profile p (expected: from CIDR[,CIDR...], or checks=, owner=, scope=, scope-kinds=, preset=)",
            "profile p owner=a owner=b               | 'owner=' written twice on one profile line",
            "profile p from 10.0.0.0/8 owner=a 10.1.0.0/16 | 'owner=a' must come after the address ranges",
            "profile p scope=a from 10.0.0.0/8       | unexpected 'scope=a' after profile p (expected: from CIDR[,CIDR...], or checks=, owner=, scope=, scope-kinds=, preset=)",
    })
    void mistakesNameTheLine(String line, String problem) {
        RulesException e = assertThrows(RulesException.class, () -> only(line));
        assertEquals("rules:2: " + problem, e.getMessage());
    }
}
