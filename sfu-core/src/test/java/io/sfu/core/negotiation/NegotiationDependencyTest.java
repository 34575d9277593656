package io.sfu.core.negotiation;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/** The negotiation package stands on the SDP, RTP and DTLS vocabularies and the JDK alone, so any layer may use it. */
class NegotiationDependencyTest {

    @Test
    void negotiationImportsOnlySdpRtpDtlsAndTheJdk() {
        JavaClasses negotiation = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.core.negotiation");
        assertThat(negotiation.size()).isGreaterThan(10);

        classes().should().onlyDependOnClassesThat()
            .resideInAnyPackage("io.sfu.core.negotiation..", "io.sfu.core.sdp..", "io.sfu.core.rtp..",
                "io.sfu.core.dtls..", "java..")
            .check(negotiation);
    }
}
