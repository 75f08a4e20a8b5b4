package dockgate;

import dockgate.policy.Rulebook;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up warning's list: which rules allow writes whose bodies are not checked. */
class UncheckedWritesTest {

    @Test
    void rulesThatAllowABuildOrASecretAreNamed() throws Exception {
        Rulebook rules = Rulebook.parse("r", """
                POST /containers/create
                POST /build
                profile ops
                POST /secrets/create
                PUT  /containers/{id}/archive
                """);
        assertEquals(List.of("profile default: POST /build (by r:2)", "profile ops: POST /secrets/create (by r:4)",
                "profile ops: PUT /containers/c/archive (by r:5)"), UncheckedWrites.allowedBy(rules));
    }

    @Test
    void theShippedRulesAndExamplesAllowNone() throws Exception {
        assertEquals(List.of(), UncheckedWrites.allowedBy(Rulebook.builtIn()));
        try (Stream<Path> files = Files.list(Path.of("conf/examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".rules")).toList()) {
                assertEquals(List.of(), UncheckedWrites.allowedBy(Rulebook.load(file)), file.toString());
            }
        }
    }
}
