package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.testing.SelfSignedCertificate;
import io.sfu.core.testing.ShapedLink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICE over TCP for networks that block UDP: the SFU here, two Chromium pages in a network namespace behind a veth
 * pair whose UDP toward the SFU is blackholed. The SFU's answer announces a passive TCP candidate beside the UDP one
 * (at a lower priority), both pages connect, see and hear each other, and every selected candidate pair is TCP;
 * the SFU counts the TCP connections. The same with both pages forced to relay through the SFU's TURN server, which
 * they reach over TCP only. Either way each page's data track reaches the other: 200 messages, intact and in order. Needs root and iproute2 (see {@link ShapedLink}), the browser and the media
 * engine.
 */
@Tag("browser")
class IceTcpBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void twoPagesWhoseUdpIsBlockedSeeAndHearEachOtherOverTcp() throws Exception {
        // an unshaped link: the rate is far above what two pages send
        try (ShapedLink link = ShapedLink.create(1_000_000, 1_000_000);
             BrowserSfu sfu = BrowserSfu.startSecret(link.localAddress().getHostAddress())) {
            link.blockUdpFromTheFarSide();
            String room = "tcp-only";
            JsonNode result = NodeScript.run(Duration.ofSeconds(120), "ice-tcp.mjs",
                sfu.url(link.localAddress().getHostAddress()), "--netns", link.namespace(),
                "--alice-token", sfu.token(room, "alice"), "--bob-token", sfu.token(room, "bob"))
                .assertPassed().json();

            List<String> candidates = new ArrayList<>();
            result.path("answerCandidates").forEach(c -> candidates.add(c.asText()));
            assertThat(candidates).anyMatch(c -> c.contains(" udp ") && c.contains(" typ host"));
            assertThat(candidates).anyMatch(c -> c.contains(" tcp ") && c.endsWith(" typ host tcptype passive"));
            forEverySelectedPair(result, (who, pair) -> {
                assertThat(pair.path("localProtocol").asText()).as(who + " local candidate").isEqualTo("tcp");
                assertThat(pair.path("remoteProtocol").asText()).as(who + " SFU candidate").isEqualTo("tcp");
                assertThat(pair.path("remoteAddress").asText()).isEqualTo(link.localAddress().getHostAddress());
            });
            assertSeeAndHearEachOther(result);
            // both pages hold a publisher and a subscriber connection open while the browser runs; the script has
            // closed it by now, so the SFU saw at least four and counts what is open
            assertThat(sfu.metric("sfu_media_tcp_connections_accepted")).isGreaterThanOrEqualTo(4);
            assertThat(sfu.metric("sfu_media_tcp_frames_received")).isPositive();
        }
    }

    @Test
    void twoRelayOnlyPagesWhoseUdpIsBlockedSeeAndHearEachOtherThroughTheSfusTurnServerOverTcp() throws Exception {
        try (ShapedLink link = ShapedLink.create(1_000_000, 1_000_000);
             BrowserSfu sfu = BrowserSfu.startSecret(link.localAddress().getHostAddress(),
                 "turn.enabled", "true", "turn.port", "0")) {
            link.blockUdpFromTheFarSide();
            String room = "turn-only";
            String sfuAddress = link.localAddress().getHostAddress();
            JsonNode result = NodeScript.run(Duration.ofSeconds(120), "ice-tcp.mjs", sfu.url(sfuAddress),
                "--netns", link.namespace(), "--relay",
                "--alice-token", sfu.token(room, "alice"), "--bob-token", sfu.token(room, "bob"))
                .assertPassed().json();

            assertThat(result.path("iceServerUrls").get(1).asText()).startsWith("turn:" + sfuAddress + ":")
                .endsWith("?transport=tcp");
            assertEveryPairRelayedOver(result, "tcp", sfuAddress);
            assertSeeAndHearEachOther(result);
            // four peer connections, each with an allocation of its own
            assertThat(sfu.metric("sfu_media_turn_allocations_granted")).isGreaterThanOrEqualTo(4);
            assertThat(sfu.metric("sfu_media_turn_bytes_to_sfu")).isPositive();
            assertThat(sfu.metric("sfu_media_turn_bytes_to_client")).isPositive();
            assertThat(sfu.metric("sfu_media_turn_forbidden_peers")).isZero();
        }
    }

    /**
     * The same through TURN over TLS alone: the pages are given only the {@code turns:} URL and accept the test
     * certificate (for the link's address) by its public key.
     */
    @Test
    void twoRelayOnlyPagesWhoseUdpIsBlockedSeeAndHearEachOtherThroughTheSfusTurnServerOverTls(@TempDir Path dir)
        throws Exception {
        try (ShapedLink link = ShapedLink.create(1_000_000, 1_000_000)) {
            String sfuAddress = link.localAddress().getHostAddress();
            SelfSignedCertificate certificate = SelfSignedCertificate.create("EC", sfuAddress);
            Path cert = certificate.writeCertificate(dir.resolve("turn-cert.pem"));
            Path key = certificate.writePkcs8Key(dir.resolve("turn-key.pem"));
            try (BrowserSfu sfu = BrowserSfu.startSecret(sfuAddress, "turn.enabled", "true", "turn.port", "0",
                     "turn.tlsPort", "0", "turn.tlsCertificate", cert.toString(), "turn.tlsKey", key.toString())) {
                link.blockUdpFromTheFarSide();
                String room = "turns-only";
                JsonNode result = NodeScript.run(Duration.ofSeconds(120), "ice-tcp.mjs", sfu.url(sfuAddress),
                    "--netns", link.namespace(), "--relay-tls", "--trust-spki", certificate.spkiSha256(),
                    "--alice-token", sfu.token(room, "alice"), "--bob-token", sfu.token(room, "bob"))
                    .assertPassed().json();

                assertThat(result.path("iceServerUrls").get(2).asText()).startsWith("turns:" + sfuAddress + ":")
                    .endsWith("?transport=tcp");
                assertEveryPairRelayedOver(result, "tls", sfuAddress);
                assertSeeAndHearEachOther(result);
                assertThat(sfu.metric("sfu_media_turn_allocations_granted")).isGreaterThanOrEqualTo(4);
                assertThat(sfu.metric("sfu_media_turn_bytes_to_client")).isPositive();
                assertThat(sfu.metric("sfu_media_turn_tls_failures")).isZero();
            }
        }
    }

    /** Every selected pair is a relay candidate reached over {@code turnTransport}, toward the SFU's UDP address. */
    private static void assertEveryPairRelayedOver(JsonNode result, String turnTransport, String sfuAddress) {
        forEverySelectedPair(result, (who, pair) -> {
            assertThat(pair.path("localType").asText()).as(who + " local candidate").isEqualTo("relay");
            assertThat(pair.path("localRelayProtocol").asText()).as(who + " TURN transport").isEqualTo(turnTransport);
            assertThat(pair.path("remoteProtocol").asText()).as(who + " SFU candidate").isEqualTo("udp");
            assertThat(pair.path("remoteAddress").asText()).isEqualTo(sfuAddress);
        });
    }

    /** Checks the selected candidate pair of both pages' publisher and subscriber connections. */
    private static void forEverySelectedPair(JsonNode result, BiConsumer<String, JsonNode> check) {
        for (String identity : List.of("alice", "bob")) {
            for (String pc : List.of("publisher", "subscriber")) {
                check.accept(identity + "'s " + pc, result.path("selectedPairs").path(identity).path(pc));
            }
        }
    }

    /** Each page decoded the other's video and received its audio, and got the other's data messages. */
    private static void assertSeeAndHearEachOther(JsonNode result) {
        JsonNode data = result.path("data").path("received");
        assertThat(data.path("alice<-chat").path("count").asInt()).isEqualTo(200);
        assertThat(data.path("bob<-chat").path("count").asInt()).isEqualTo(200);
        JsonNode received = result.path("received");
        assertThat(received.path("alice").path("bob").path("videoFramesDecoded").asInt()).isPositive();
        assertThat(received.path("alice").path("bob").path("audioPacketsReceived").asInt()).isPositive();
        assertThat(received.path("bob").path("alice").path("videoFramesDecoded").asInt()).isPositive();
        assertThat(received.path("bob").path("alice").path("audioPacketsReceived").asInt()).isPositive();
    }
}
