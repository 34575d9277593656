package io.sfu.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of sfu-core, checked: its layers and the one direction of their dependencies, no cycle between its
 * packages, protocol packages that stand alone, a hot path without logging or streams, and no web framework.
 * <pre>
 *   media        the engine: composes the layers below for one participant
 *   turn         the embedded TURN server, on the media port's sockets and STUN
 *   session      the control plane (rooms, participants); knows nothing of the media plane
 *   negotiation  JSEP for the SFU, on the SDP, RTP and DTLS vocabularies
 *   forward      agents, routers, legs, producers, consumers
 *   transport    one WebRtcTransport per peer connection, the demultiplexer
 *   feedback     stream-bound RTCP units shared with the client
 *   protocols    stun ice dtls srtp rtp rtcp sdp sctp datachannel
 *   net, buffer  the socket, packet slots
 *   logging      rate-limited error logs, for anything off the per-packet path
 * </pre>
 */
class ArchitectureTest {
    private static final String[] PROTOCOLS = {
        "io.sfu.core.stun..", "io.sfu.core.ice..", "io.sfu.core.dtls..", "io.sfu.core.srtp..",
        "io.sfu.core.rtp..", "io.sfu.core.rtcp..", "io.sfu.core.sdp..", "io.sfu.core.sctp..",
        "io.sfu.core.datachannel.."
    };
    /** What every packet passes through, once per packet or once per subscriber. */
    private static final String[] HOT_PATH = {
        "io.sfu.core.buffer..", "io.sfu.core.stun..", "io.sfu.core.srtp..", "io.sfu.core.rtp..",
        "io.sfu.core.rtcp..", "io.sfu.core.feedback..", "io.sfu.core.transport..", "io.sfu.core.forward..",
        "io.sfu.core.sctp..", "io.sfu.core.datachannel.."
    };

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sfu.core");
    }

    @Test
    void everyLayerHasClasses() {
        // a rule over an empty layer would pass for nothing
        for (String layer : new String[] {"buffer", "net", "stun", "ice", "dtls", "srtp", "rtp", "rtcp", "sdp",
            "sctp", "datachannel", "feedback", "transport", "forward", "negotiation", "session", "turn", "media"}) {
            assertThat(core.stream().filter(c -> c.getPackageName().startsWith("io.sfu.core." + layer)))
                .as(layer).isNotEmpty();
        }
    }

    @Test
    void layersDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("buffer").definedBy("io.sfu.core.buffer..")
            .layer("net").definedBy("io.sfu.core.net..")
            .layer("protocols").definedBy(PROTOCOLS)
            .layer("feedback").definedBy("io.sfu.core.feedback..")
            .layer("transport").definedBy("io.sfu.core.transport..")
            .layer("forward").definedBy("io.sfu.core.forward..")
            .layer("negotiation").definedBy("io.sfu.core.negotiation..")
            .layer("session").definedBy("io.sfu.core.session..")
            .layer("turn").definedBy("io.sfu.core.turn..")
            .layer("media").definedBy("io.sfu.core.media..")
            .whereLayer("media").mayNotBeAccessedByAnyLayer()
            .whereLayer("turn").mayOnlyBeAccessedByLayers("media")
            .whereLayer("session").mayOnlyBeAccessedByLayers("media")
            .whereLayer("negotiation").mayOnlyBeAccessedByLayers("media")
            .whereLayer("forward").mayOnlyBeAccessedByLayers("media")
            .whereLayer("transport").mayOnlyBeAccessedByLayers("forward", "media")
            .whereLayer("feedback").mayOnlyBeAccessedByLayers("forward", "media")
            .whereLayer("protocols").mayOnlyBeAccessedByLayers("protocols", "feedback", "transport", "forward",
                "negotiation", "turn", "media")
            .whereLayer("net").mayOnlyBeAccessedByLayers("transport", "forward", "turn", "media")
            .check(core);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.sfu.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void protocolPackagesStandOnBuffersAndTheJdkAlone() {
        // com.sun.management: SRTP asks HotSpot whether it runs the GHASH intrinsic
        String[] allowed = java.util.stream.Stream.concat(java.util.stream.Stream.of("io.sfu.core.buffer..", "java..",
            "javax.crypto..", "com.sun.management..", "org.agrona..", "org.bouncycastle..", "org.slf4j.."),
            java.util.Arrays.stream(PROTOCOLS)).toArray(String[]::new);
        classes().that().resideInAnyPackage(PROTOCOLS).should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
            .check(core);
    }

    @Test
    void onlyIceAndDataChannelsBuildOnAnotherProtocol() {
        // ICE is STUN's connectivity checks (RFC 8445 §7), data channels are SCTP streams (RFC 8831): the two
        // protocols built on another
        for (String protocol : PROTOCOLS) {
            String[] others = java.util.Arrays.stream(PROTOCOLS).filter(p -> !p.equals(protocol)
                && !(protocol.equals("io.sfu.core.ice..") && p.equals("io.sfu.core.stun.."))
                && !(protocol.equals("io.sfu.core.datachannel..") && p.equals("io.sfu.core.sctp..")))
                .toArray(String[]::new);
            noClasses().that().resideInAPackage(protocol).should().dependOnClassesThat().resideInAnyPackage(others)
                .check(core);
        }
    }

    @Test
    void negotiationStandsOnTheSdpRtpAndDtlsVocabulariesAlone() {
        classes().that().resideInAPackage("io.sfu.core.negotiation..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("io.sfu.core.negotiation..", "io.sfu.core.sdp..", "io.sfu.core.rtp..",
                "io.sfu.core.dtls..", "java..")
            .check(core);
    }

    @Test
    void theHotPathNeitherLogsNorStreams() {
        noClasses().that().resideInAnyPackage(HOT_PATH)
            // the agents' runner logs a failed duty cycle, never a packet
            .and().doNotHaveSimpleName("AgentThread")
            .should().dependOnClassesThat().resideInAnyPackage("org.slf4j..", "io.sfu.core.logging..",
                "java.util.stream..")
            .check(core);
    }

    @Test
    void theControlPlaneKnowsNoWebFrameworkAndTheCoreNoVertx() {
        noClasses().that().resideInAPackage("io.sfu.core..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.vertx..", "io.netty..", "io.sfu.signaling..", "io.sfu.client..")
            .check(core);
        noClasses().that().resideInAPackage("io.sfu.core.session..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml..")
            .check(core);
    }
}
