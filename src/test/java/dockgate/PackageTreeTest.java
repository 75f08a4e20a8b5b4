package dockgate;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages form a tree: no package may reach back to one that uses it, directly or through others.
 * A ring means no package can be read, tested or changed alone; see the package-info of each for what it
 * may use. Only main classes are read: tests may reach anywhere.
 */
class PackageTreeTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dockgate");

    @Test
    void packagesAreFreeOfCycles() {
        // "dockgate.(*).." gives one slice per subpackage; the root package is its own slice below.
        slices().matching("dockgate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noMainClassIsLongerThan350Lines() throws IOException {
        // A class that outgrows this has more than one job: split it before it grows further.
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                int lines = Files.readAllLines(file).size();
                if (lines > 350) {
                    tooLong.add(file + " (" + lines + " lines)");
                }
            }
        }
        assertEquals(List.of(), tooLong);
    }

    @Test
    void onlyTheRootPackageUsesTheRootPackage() {
        // The root package composes the others, so none of them may use it.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideOutsideOfPackage("dockgate")
                .should().dependOnClassesThat().resideInAPackage("dockgate")
                .check(MAIN);
    }
}
