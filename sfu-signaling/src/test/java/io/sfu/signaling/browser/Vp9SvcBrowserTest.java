package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * VP9 spatial layers with real Chromium pages: a publisher encodes one VP9 stream of three spatial and three temporal
 * layers (L3T3, 1280x720); one subscriber decodes the whole size, another chooses the spatial layer with
 * {@code setLayer} ({@code maxSpatialLayer}, or {@code maxHeight}) and decodes frames of its width, down and up,
 * without a stall and without keyframe requests of its own decoder; the SFU reports the spatial layer it forwards
 * (the one asked for, or the highest the publisher's encoder sends now if that is lower).
 * Needs the media engine.
 */
@Tag("browser")
class Vp9SvcBrowserTest {
    @BeforeEach
    void needsBrowserAndEngine() {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
    }

    /** Samples of a {@code width: count} histogram at least {@code width} wide. */
    private static int atLeast(JsonNode widths, int width) {
        int count = 0;
        for (var decoded : widths.properties()) {
            count += Integer.parseInt(decoded.getKey()) >= width ? decoded.getValue().asInt() : 0;
        }
        return count;
    }

    @Test
    void aSubscriberOfALowerSpatialLayerDecodesSmallerFramesWhileAnotherDecodesTheWholeSize() throws Exception {
        try (BrowserSfu sfu = BrowserSfu.start()) {
            JsonNode result = NodeScript.run(Duration.ofSeconds(180), "vp9-svc.mjs", sfu.url()).assertPassed()
                .json();
            Assumptions.assumeTrue(result.path("skipped").isMissingNode(), result.path("skipped").asText());

            assertThat(result.path("publisher").path("scalabilityMode").asText()).isEqualTo("L3T3");
            assertThat(result.path("bobFull").path("frameWidth").asInt()).isEqualTo(1280);
            JsonNode switches = result.path("switches");
            assertThat(switches).hasSize(4);
            for (JsonNode change : switches) {
                JsonNode window = change.path("window");
                // the layer asked for, or the highest the publisher sent then if lower (the scenario waited for
                // that report): nothing wider than the layer asked for, and the reported one or wider in three
                // samples of four at least of those in which bob, who takes every layer, decoded it: the
                // publisher's encoder leaves its top layers out for a while when its machine is busy, and what it
                // did not send no subscriber can decode
                int width = change.path("width").asInt();
                int reported = 320 << change.path("sfuSpatialLayer").asInt();
                int atWidth = atLeast(window.path("widths"), reported);
                for (var decoded : window.path("widths").properties()) {
                    int decodedWidth = Integer.parseInt(decoded.getKey());
                    assertThat(decodedWidth).as("widths decoded: %s", change).isLessThanOrEqualTo(width);
                }
                assertThat(atWidth * 4).as("samples %d px wide: %s", reported, change)
                    .isGreaterThanOrEqualTo(atLeast(window.path("bobWidths"), reported) * 3);
                assertThat(window.path("framesDecodedTo").asLong()).as("frames decoded keep rising: %s", change)
                    .isGreaterThan(window.path("framesDecodedFrom").asLong() + 10);
                assertThat(window.path("maxStallMs").asLong()).as("no freeze: %s", change).isLessThan(1000);
                assertThat(change.path("sfuSpatialLayer").asInt()).as("the SFU's report: %s", change)
                    .isLessThanOrEqualTo(change.path("spatialLayer").asInt());
            }
            long keyframeRequests = switches.get(3).path("window").path("pliCount").asLong()
                - switches.get(0).path("pliBefore").asLong();
            assertThat(keyframeRequests).as("keyframe requests from carol's decoder over the four switches")
                .isLessThanOrEqualTo(1);
        }
    }
}
