package org.citizenreception.control;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The control API's packages form no cycle, so the code reads as the access model: identity
 * (principal, role, token resolution, revocation) and domain errors are leaves, the event bus knows
 * no session, and HTTP knows no accounts. The root package is the composition root and may see all.
 */
class PackageCyclesTest {
    @Test
    void thePackagesBelowTheCompositionRootAreFreeOfCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.citizenreception.control");
        slices().matching("org.citizenreception.control.(**)").should().beFreeOfCycles().check(classes);
    }
}
