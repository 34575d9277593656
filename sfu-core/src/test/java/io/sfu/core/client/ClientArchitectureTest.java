package io.sfu.core.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client is a peer of the SFU, not a part of it: it builds on the protocol packages, feedback and net only,
 * and nothing else in sfu-core depends on it.
 */
class ClientArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.core");
    }

    @Test
    void clientClassesAreFound() {
        assertThat(core.stream().filter(c -> c.getPackageName().equals("io.sfu.core.client"))).isNotEmpty();
    }

    @Test
    void theClientDoesNotUseTheForwardingOrSessionLayers() {
        noClasses().that().resideInAPackage("io.sfu.core.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sfu.core.forward..", "io.sfu.core.session..",
                "io.vertx..", "io.netty..")
            .check(core);
    }

    @Test
    void nothingElseInTheCoreDependsOnTheClient() {
        noClasses().that().resideOutsideOfPackage("io.sfu.core.client..")
            .should().dependOnClassesThat().resideInAPackage("io.sfu.core.client..")
            .check(core);
    }
}
