package io.sfu.core.session;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The control plane stays free of web frameworks and JSON, so signaling is one replaceable layer above it. */
class SessionArchitectureTest {

    @Test
    void sessionImportsNoWebFrameworkNorSignaling() {
        JavaClasses session = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.core.session");
        Assertions.assertThat(session.contain(ControlPlane.class)).isTrue();
        noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.vertx..", "io.netty..", "com.fasterxml..", "io.sfu.signaling..")
            .check(session);
    }
}
