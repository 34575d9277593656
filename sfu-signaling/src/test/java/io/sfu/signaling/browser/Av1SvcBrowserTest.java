package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AV1 spatial layers chosen by the dependency descriptor, with real Chromium pages: a publisher encodes one AV1 stream
 * of three spatial and three temporal layers (L3T3, 1280x720) with the descriptor negotiated; one subscriber decodes
 * the whole size, another asks for spatial layer 0 and decodes 320 px wide frames without a stall and without keyframe
 * requests of its own decoder after its start. Skipped where this Chromium cannot encode AV1 in L3T3.
 * Needs the media engine.
 */
@Tag("browser")
class Av1SvcBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    @Test
    void aSubscriberOfSpatialLayerZeroDecodesQuarterWidthFramesWhileAnotherDecodesTheWholeSize() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run(Duration.ofSeconds(180), "av1-svc.mjs", sfu.url()).assertPassed()
                .json();
            Assumptions.assumeTrue(result.path("skipped").isMissingNode(), result.path("skipped").asText());

            assertThat(result.path("publisher").path("codec").asText()).containsIgnoringCase("av1");
            assertThat(result.path("publisher").path("scalabilityMode").asText()).isEqualTo("L3T3");
            assertThat(result.path("dependencyDescriptorNegotiated").asBoolean()).isTrue();
            assertThat(result.path("bobFull").path("frameWidth").asInt()).isEqualTo(1280);
            JsonNode carol = result.path("carol");
            assertThat(carol.path("sfuSpatialLayer").asInt()).isZero();
            assertWindow(carol.path("window"), 320, "carol");
            assertThat(carol.path("window").path("pliCount").asLong()).as("carol's decoder asked for keyframes: %s",
                carol).isEqualTo(carol.path("pliAtStart").asLong());
            assertWindow(result.path("bob").path("window"), 1280, "bob");
        }
    }

    /**
     * Decoded {@code width} px wide in three samples of four at least of those in which the publisher's encoder was
     * sending that width or more (a busy machine makes it leave its top layers out for a while, and what it did not
     * send no subscriber can decode), never wider, and frames decoded without a freeze.
     */
    private static void assertWindow(JsonNode window, int width, String who) {
        int atWidth = 0;
        for (var decoded : window.path("widths").properties()) {
            int decodedWidth = Integer.parseInt(decoded.getKey());
            assertThat(decodedWidth).as("%s's widths decoded: %s", who, window).isLessThanOrEqualTo(width);
            atWidth += decodedWidth == width ? decoded.getValue().asInt() : 0;
        }
        int sent = 0;
        for (var encoded : window.path("sentWidths").properties()) {
            sent += Integer.parseInt(encoded.getKey()) >= width ? encoded.getValue().asInt() : 0;
        }
        assertThat(atWidth * 4).as("%s's samples %d px wide: %s", who, width, window)
            .isGreaterThanOrEqualTo(sent * 3);
        assertThat(window.path("framesDecodedTo").asLong()).as("%s's frames decoded keep rising: %s", who, window)
            .isGreaterThan(window.path("framesDecodedFrom").asLong() + 10);
        assertThat(window.path("maxStallMs").asLong()).as("%s froze: %s", who, window).isLessThan(1000);
    }
}
