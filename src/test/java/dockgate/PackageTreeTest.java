package dockgate;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

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
    void onlyTheRootPackageUsesTheRootPackage() {
        // The root package composes the others, so none of them may use it.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideOutsideOfPackage("dockgate")
                .should().dependOnClassesThat().resideInAPackage("dockgate")
                .check(MAIN);
    }
}
