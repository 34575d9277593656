package io.sfu.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the dependency direction of the architecture: protocol packages ← feedback ← forward ← session,
 * and nothing in sfu-core reaches for Vert.x or the signaling module.
 */
class DependencyDirectionTest {

    private static final String[] PROTOCOLS = {
        "io.sfu.core.stun..", "io.sfu.core.ice..", "io.sfu.core.dtls..", "io.sfu.core.srtp..",
        "io.sfu.core.rtp..", "io.sfu.core.rtcp..", "io.sfu.core.sdp.."
    };

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.core");
    }

    @Test
    void coreClassesAreFound() {
        // guards against a rule that passes only because nothing was imported
        org.assertj.core.api.Assertions.assertThat(core.size()).isGreaterThan(0);
    }

    @Test
    void protocolPackagesDoNotImportForwardingOrSession() {
        noClasses().that().resideInAnyPackage(PROTOCOLS)
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.sfu.core.feedback..", "io.sfu.core.forward..", "io.sfu.core.session..",
                "io.sfu.core.net..", "io.sfu.core.negotiation..", "io.sfu.core.media..")
            .allowEmptyShould(true)
            .check(core);
    }

    @Test
    void feedbackDoesNotImportForwardOrSession() {
        noClasses().that().resideInAPackage("io.sfu.core.feedback..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.sfu.core.forward..", "io.sfu.core.session..")
            .allowEmptyShould(true)
            .check(core);
    }

    @Test
    void forwardDoesNotImportSession() {
        noClasses().that().resideInAPackage("io.sfu.core.forward..")
            .should().dependOnClassesThat().resideInAPackage("io.sfu.core.session..")
            .allowEmptyShould(true)
            .check(core);
    }

    @Test
    void onlyTheMediaEngineComposesForwardingWithTheControlPlane() {
        noClasses().that().resideInAnyPackage("io.sfu.core.forward..", "io.sfu.core.net..",
                "io.sfu.core.feedback..", "io.sfu.core.negotiation..", "io.sfu.core.session..")
            .should().dependOnClassesThat().resideInAPackage("io.sfu.core.media..")
            .check(core);
    }

    @Test
    void theSessionSeamKnowsNothingOfTheMediaPlane() {
        noClasses().that().resideInAPackage("io.sfu.core.session..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sfu.core.forward..", "io.sfu.core.net..",
                "io.sfu.core.srtp..", "io.sfu.core.dtls..", "io.sfu.core.ice..")
            .check(core);
    }

    @Test
    void coreNeverImportsVertxOrSignaling() {
        noClasses().that().resideInAPackage("io.sfu.core..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.vertx..", "io.netty..", "io.sfu.signaling..")
            .check(core);
    }
}
