package dockgate.scope;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scope's labels join the client's filters, in whichever form it wrote them; only narrowing is possible. */
class ListFiltersTest {

    private static final List<String> SCOPE = List.of("dockgate.owner=alpha");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                        | {\"label\":{\"dockgate.owner=alpha\":true}}",
            "{}                                        | {\"label\":{\"dockgate.owner=alpha\":true}}",
            "{\"status\":{\"running\":true}}           | {\"status\":{\"running\":true},\"label\":{\"dockgate.owner=alpha\":true}}",
            "{\"label\":{\"app=web\":true}}            | {\"label\":{\"app=web\":true,\"dockgate.owner=alpha\":true}}",
            // The daemon ignores the booleans of the map form: a label written false still filters.
            "{\"label\":{\"app=web\":false}}           | {\"label\":{\"app=web\":true,\"dockgate.owner=alpha\":true}}",
            "{\"label\":[\"app=web\"],\"name\":[\"x\"]} | {\"label\":{\"app=web\":true,\"dockgate.owner=alpha\":true},\"name\":{\"x\":true}}",
            "{\"label\":null}                          | {\"label\":{\"dockgate.owner=alpha\":true}}",
            // A client naming the scope's own label again changes nothing.
            "{\"label\":{\"dockgate.owner=alpha\":true}} | {\"label\":{\"dockgate.owner=alpha\":true}}",
            "{\"label\":{\"dockgate.owner=beta\":true}} | {\"label\":{\"dockgate.owner=beta\":true,\"dockgate.owner=alpha\":true}}",
    })
    void theScopeJoinsTheClientsFilters(String clients, String sent) {
        assertEquals(sent, ListFilters.merged(clients, SCOPE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"label\":{\"a\":true},\"label\":{\"b\":true}} | duplicate",
            "{\"label\":{\"a\":true},\"name\":[\"x\"]}       | mixes",
            "{\"label\":{\"a\":\"yes\"}}                      | expected true",
            "{\"label\":[1]}                                  | list of strings",
            "{\"label\":\"a\"}                                | expected",
            "[\"label\"]                                      | JSON object",
            "{\"label\":                                      | one way",
    })
    void filtersTheDaemonWouldReadOtherwiseAreRefused(String clients, String words) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListFilters.merged(clients, SCOPE));
        assertEquals(true, e.getMessage().contains(words), e.getMessage());
    }
}
