package io.sfu.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client is a peer of the SFU, not a part of it: it builds on sfu-core's protocol packages, its feedback units
 * and its datagram classification only, never on the server's forwarding, negotiation, media or session layers.
 */
class ClientArchitectureTest {
    private static JavaClasses client;

    @BeforeAll
    static void importClient() {
        client = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.client");
    }

    @Test
    void clientClassesAreFound() {
        assertThat(client.stream().filter(c -> c.getPackageName().startsWith("io.sfu.client"))).isNotEmpty();
    }

    @Test
    void theClientUsesOnlyTheProtocolFeedbackAndNetPackagesOfTheCoreNeverTheServerLayers() {
        classes().that().resideInAPackage("io.sfu.client..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.sfu.client..", "java..", "org.agrona..",
                "org.slf4j..", "io.sfu.core.stun..", "io.sfu.core.ice..", "io.sfu.core.dtls..", "io.sfu.core.srtp..",
                "io.sfu.core.rtp..", "io.sfu.core.rtcp..", "io.sfu.core.sdp..", "io.sfu.core.feedback..",
                "io.sfu.core.net..", "io.sfu.core.datachannel..")
            .check(client);
    }
}
